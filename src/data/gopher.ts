// The Gopher quality rules, Rae et al. 2021 ("Scaling Language Models: Methods, Analysis
// & Insights from Training Gopher"), Appendix A.1.1, applied exactly as written there:
//   "remove any document that does not contain between 50 and 100,000 words, or whose
//   mean word length is outside the range of 3 to 10 characters; ... a symbol-to-word
//   ratio greater than 0.1 for either the hash symbol or the ellipsis; ... more than 90%
//   of lines starting with a bullet point, or more than 30% ending with an ellipsis. We
//   also require that 80% of words in a document contain at least one alphabetic
//   character, and apply a 'stop word' filter, to remove documents that do not contain at
//   least two of the following English words: the, be, to, of, and, that, have, with."
// Where the paper leaves a detail open we follow DataTrove's GopherQualityFilter (the
// reference reimplementation): words are whitespace tokens; word count and mean length
// use tokens that are not pure punctuation; the stop-word rule counts occurrences
// (case-insensitive, surrounding punctuation ignored); blank lines are not lines.
import { words } from "./normalize";

export const GOPHER_STOP_WORDS = ["the", "be", "to", "of", "and", "that", "have", "with"];
const BULLETS = /^\s*[•‣◦⁃∙●○▪▫■□\-*·–]/u;
const ELLIPSIS_END = /(\.\.\.|…)\s*$/;
const PUNCT_ONLY = /^[\p{P}\p{S}]+$/u;

export interface GopherStats {
  words: number;
  meanWordLength: number;
  hashRatio: number;
  ellipsisRatio: number;
  bulletLineFraction: number;
  ellipsisLineFraction: number;
  alphaWordFraction: number;
  stopWords: number;
}

export function gopherStats(text: string): GopherStats {
  const tokens = words(text);
  const content = tokens.filter((w) => !PUNCT_ONLY.test(w));
  const lines = text.split("\n").filter((l) => l.trim().length > 0);
  const n = Math.max(tokens.length, 1);
  const stop = new Set(GOPHER_STOP_WORDS);
  let letters = 0,
    alpha = 0,
    stops = 0;
  // Length without surrounding punctuation ("tide." is 4 letters), as a word tokenizer would.
  for (const w of content) letters += [...w.replace(/^\p{P}+|\p{P}+$/gu, "")].length;
  for (const w of tokens) {
    if (/\p{L}/u.test(w)) alpha++;
    if (stop.has(w.toLowerCase().replace(/^\p{P}+|\p{P}+$/gu, ""))) stops++; // "the," counts as "the"
  }
  const nLines = Math.max(lines.length, 1);
  return {
    words: content.length,
    meanWordLength: content.length ? letters / content.length : 0,
    hashRatio: (text.match(/#/g)?.length ?? 0) / n,
    ellipsisRatio: (text.match(/\.\.\.|…/g)?.length ?? 0) / n,
    bulletLineFraction: lines.filter((l) => BULLETS.test(l)).length / nLines,
    ellipsisLineFraction: lines.filter((l) => ELLIPSIS_END.test(l)).length / nLines,
    alphaWordFraction: tokens.length ? alpha / tokens.length : 0,
    stopWords: stops,
  };
}

export type GopherRule =
  | "gopher_word_count"
  | "gopher_mean_word_length"
  | "gopher_hash_ratio"
  | "gopher_ellipsis_ratio"
  | "gopher_bullet_lines"
  | "gopher_ellipsis_lines"
  | "gopher_alpha_words"
  | "gopher_stop_words";

export const GOPHER_RULES: GopherRule[] = [
  "gopher_word_count",
  "gopher_mean_word_length",
  "gopher_hash_ratio",
  "gopher_ellipsis_ratio",
  "gopher_bullet_lines",
  "gopher_ellipsis_lines",
  "gopher_alpha_words",
  "gopher_stop_words",
];

/** The first Gopher rule a document breaks, with the measured value; null if it passes. */
export function gopherCheck(text: string): { rule: GopherRule; reason: string } | null {
  const s = gopherStats(text);
  const f = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(3));
  if (s.words < 50 || s.words > 100_000)
    return { rule: "gopher_word_count", reason: `${s.words} words, outside 50..100000` };
  if (s.meanWordLength < 3 || s.meanWordLength > 10)
    return { rule: "gopher_mean_word_length", reason: `mean word length ${f(s.meanWordLength)}, outside 3..10` };
  if (s.hashRatio > 0.1) return { rule: "gopher_hash_ratio", reason: `'#' per word ${f(s.hashRatio)} > 0.1` };
  if (s.ellipsisRatio > 0.1)
    return { rule: "gopher_ellipsis_ratio", reason: `ellipses per word ${f(s.ellipsisRatio)} > 0.1` };
  if (s.bulletLineFraction > 0.9)
    return { rule: "gopher_bullet_lines", reason: `${f(s.bulletLineFraction)} of lines start with a bullet > 0.9` };
  if (s.ellipsisLineFraction > 0.3)
    return {
      rule: "gopher_ellipsis_lines",
      reason: `${f(s.ellipsisLineFraction)} of lines end with an ellipsis > 0.3`,
    };
  if (s.alphaWordFraction < 0.8)
    return { rule: "gopher_alpha_words", reason: `${f(s.alphaWordFraction)} of words contain a letter < 0.8` };
  if (s.stopWords < 2)
    return {
      rule: "gopher_stop_words",
      reason: `${s.stopWords} of the stop words (${GOPHER_STOP_WORDS.join(", ")}) < 2`,
    };
  return null;
}
