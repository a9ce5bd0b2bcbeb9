// Normalisation and n-gram hashing shared by the contamination checks and synthetic dedup.
// N-grams are keyed by a 53-bit hash built from two independent 32-bit FNV-1a lanes, so a set
// of millions of n-grams costs numbers, not strings; every hash hit is verified word by word
// by the callers, so a collision can cost time but never a false flag.

/** GPT-3 (Brown et al. 2020, app. C) normalisation: lower case, no punctuation, split on whitespace. */
export function normalizeWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/['\u2019]/g, "") // "don't" and "dont" are the same word
    .replace(/[^\p{L}\p{N}\s]+/gu, " ")
    .split(/\s+/)
    .filter((w) => w.length > 0);
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv1a(s: string, seed: number): number {
  let h = FNV_OFFSET ^ seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/** Two 32-bit hashes per word; computed once per document, reused by every n-gram. */
export interface HashedWords {
  words: string[];
  a: Uint32Array;
  b: Uint32Array;
}

export function hashWords(words: string[]): HashedWords {
  const a = new Uint32Array(words.length);
  const b = new Uint32Array(words.length);
  for (let i = 0; i < words.length; i++) {
    a[i] = fnv1a(words[i], 0);
    b[i] = fnv1a(words[i], 0x5bd1e995);
  }
  return { words, a, b };
}

/** 53-bit key of words[start, start+n). */
export function ngramKey(h: HashedWords, start: number, n: number): number {
  let x = 0x9e3779b9;
  let y = 0x85ebca6b;
  for (let j = start; j < start + n; j++) {
    x = Math.imul(x ^ h.a[j], 0x01000193) ^ (x >>> 15);
    y = Math.imul(y ^ h.b[j], 0x2c1b3c6d) ^ (y >>> 13);
  }
  return (x >>> 0) * 0x200000 + ((y >>> 0) & 0x1fffff);
}

export function sameWords(a: string[], aStart: number, b: string[], bStart: number, n: number): boolean {
  for (let j = 0; j < n; j++) if (a[aStart + j] !== b[bStart + j]) return false;
  return true;
}

/** All distinct n-gram keys of a text (for dedup and overlap scores). */
export function ngramKeys(text: string, n: number): Set<number> {
  const h = hashWords(normalizeWords(text));
  const out = new Set<number>();
  for (let i = 0; i + n <= h.words.length; i++) out.add(ngramKey(h, i, n));
  return out;
}
