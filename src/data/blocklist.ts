// Blocklist ("bad words") filter, as in C4 (Raffel et al. 2020), which dropped any page
// containing a word from the LDNOOBW list. C4's any-hit rule is known to remove dialect and
// identity terms disproportionately (Dodge et al. 2021), so ours is a rate: a document goes
// when blocklisted words exceed `maxRate` of its words. Both list and rate are configurable.
import { words } from "./normalize";

// A short default list of slurs and explicit sexual terms; deliberately small and
// documented in datasets/*/DATASHEET.md. Learners extend it in notebook 02.
export const DEFAULT_BLOCKLIST: string[] = [
  "fuck",
  "fucking",
  "fucked",
  "motherfucker",
  "shit",
  "cunt",
  "bitch",
  "bitches",
  "nigga",
  "niggas",
  "nigger",
  "faggot",
  "fag",
  "retard",
  "whore",
  "slut",
  "dick",
  "pussy",
  "cock",
  "porn",
  "xxx",
];

export interface BlocklistOptions {
  words?: string[];
  maxRate?: number;
}

export function blocklistCheck(text: string, opts: BlocklistOptions = {}): { reason: string; hits: number } | null {
  const list = new Set((opts.words ?? DEFAULT_BLOCKLIST).map((w) => w.toLowerCase()));
  const maxRate = opts.maxRate ?? 0.005;
  const toks = words(text);
  let hits = 0;
  const seen = new Set<string>();
  for (const t of toks) {
    const w = t.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
    if (list.has(w)) {
      hits++;
      seen.add(w);
    }
  }
  const rate = hits / Math.max(toks.length, 1);
  if (hits > 0 && rate > maxRate)
    return {
      hits,
      reason: `${hits} blocklisted words (${[...seen].length} distinct), rate ${rate.toFixed(4)} > ${maxRate}`,
    };
  return null;
}
