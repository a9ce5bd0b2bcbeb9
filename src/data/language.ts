// Language/script check. A full language identifier (fastText lid.176, CLD3) is a model
// download; our sources are English, so two cheap signals suffice and are explainable:
// the share of letters in the expected Unicode script, and the share of tokens that are
// frequent English function words (English prose runs at ~0.4; other Latin-script languages
// well under 0.1).
import { words } from "./normalize";

const SCRIPTS = [
  "Latin",
  "Cyrillic",
  "Greek",
  "Arabic",
  "Hebrew",
  "Han",
  "Hiragana",
  "Katakana",
  "Hangul",
  "Devanagari",
  "Thai",
] as const;
export type Script = (typeof SCRIPTS)[number];
const SCRIPT_RE: Record<Script, RegExp> = Object.fromEntries(
  SCRIPTS.map((s) => [s, new RegExp(`\\p{Script=${s}}`, "u")]),
) as Record<Script, RegExp>;

const ENGLISH_FUNCTION_WORDS = new Set(
  (
    "the of and to a in is it you that he was for on are with as i his they be at one have this from or had by " +
    "not but what all were we when your can said there use an each which she do how their if will up other about out " +
    "many then them these so some her would make like him into has two more no my than been who its now only me our"
  ).split(" "),
);

export function scriptShares(text: string): Partial<Record<Script | "Other", number>> {
  const counts: Partial<Record<Script | "Other", number>> = {};
  let total = 0;
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (c < 128) {
      // ASCII fast path: most of our text
      if ((c | 32) >= 97 && (c | 32) <= 122) {
        total++;
        counts.Latin = (counts.Latin ?? 0) + 1;
      }
      continue;
    }
    if (!/\p{L}/u.test(ch)) continue;
    total++;
    const s = SCRIPTS.find((k) => SCRIPT_RE[k].test(ch)) ?? "Other";
    counts[s] = (counts[s] ?? 0) + 1;
  }
  for (const k of Object.keys(counts) as (Script | "Other")[]) counts[k] = (counts[k] ?? 0) / Math.max(total, 1);
  return counts;
}

export interface LanguageOptions {
  script?: Script;
  minScriptShare?: number;
  minFunctionWordShare?: number;
}

export function languageCheck(text: string, opts: LanguageOptions = {}): { reason: string } | null {
  const script = opts.script ?? "Latin";
  const minScript = opts.minScriptShare ?? 0.9;
  const minFn = opts.minFunctionWordShare ?? 0.1;
  // Sample: the check must not cost more than the rest of the pipeline on long documents.
  const sample = text.length > 20000 ? text.slice(0, 20000) : text;
  const share = scriptShares(sample)[script] ?? 0;
  if (share < minScript)
    return { reason: `${(share * 100).toFixed(1)}% of letters in ${script} script < ${minScript * 100}%` };
  const toks = words(sample);
  let fn = 0;
  for (const t of toks) if (ENGLISH_FUNCTION_WORDS.has(t.toLowerCase().replace(/[^\p{L}]+/gu, ""))) fn++;
  const fnShare = fn / Math.max(toks.length, 1);
  if (fnShare < minFn) return { reason: `English function-word share ${fnShare.toFixed(3)} < ${minFn}` };
  return null;
}
