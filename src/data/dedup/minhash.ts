// MinHash (Broder 1997): the fraction of permutations on which two sets share their
// minimum element is an unbiased estimate of their Jaccard similarity, with standard
// error sqrt(J(1-J)/k) for k permutations. Hand-written: it is the algorithm taught.
//
// Permutations: datasketch uses h_i(x) = (a_i x + b_i) mod (2^61-1), which needs 64-bit
// multiplies. We use h_i(x) = fmix32(x XOR s_i) (MurmurHash3's finaliser), a bijection on
// 32-bit integers, so each i is a true permutation of the hash space, at two Math.imul each.

export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units, finalised: a fast, well-spread 32-bit string hash. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix32(h);
}

/** Lower-cased word tokens: letters and digits only, so punctuation edits do not break shingles. */
export function shingleWords(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * Hashes of the word n-gram shingles (n = 5 by default, the choice; Gopher and
 * many web pipelines use 5-13). Combined from per-word hashes so each shingle costs n
 * integer mixes, not a string build. Documents shorter than n give one shingle.
 */
export function shingleHashes(text: string, n = 5): Uint32Array {
  const ws = shingleWords(text);
  const wh = ws.map(hashString);
  const count = Math.max(wh.length - n + 1, wh.length ? 1 : 0);
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    let h = 0x9747b28c;
    for (let j = i; j < Math.min(i + n, wh.length); j++) h = fmix32((Math.imul(h, 31) + wh[j]) >>> 0);
    out[i] = h;
  }
  return out;
}

export class MinHasher {
  readonly seeds: Uint32Array;
  constructor(
    readonly numPerm = 128,
    seed = 1,
  ) {
    if (!Number.isInteger(numPerm) || numPerm < 1)
      throw new Error(`MinHasher: numPerm must be a positive integer, got ${numPerm}`);
    this.seeds = new Uint32Array(numPerm);
    let s = seed >>> 0;
    for (let i = 0; i < numPerm; i++) {
      s = (s + 0x9e3779b9) >>> 0;
      this.seeds[i] = fmix32(s);
    }
  }

  /** Signature of a set of 32-bit shingle hashes; the empty set gets all 0xffffffff. */
  signature(shingles: Uint32Array): Uint32Array {
    const k = this.numPerm,
      seeds = this.seeds;
    const sig = new Uint32Array(k).fill(0xffffffff);
    for (let t = 0; t < shingles.length; t++) {
      const x = shingles[t];
      for (let i = 0; i < k; i++) {
        const v = fmix32(x ^ seeds[i]);
        if (v < sig[i]) sig[i] = v;
      }
    }
    return sig;
  }

  signatureOf(text: string, n = 5): Uint32Array {
    return this.signature(shingleHashes(text, n));
  }
}

/** Estimated Jaccard: fraction of equal signature positions. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length)
    throw new Error(`estimateJaccard: signatures differ in length (${a.length} vs ${b.length})`);
  let eq = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) eq++;
  return eq / a.length;
}

/** Exact Jaccard of two shingle sets, the reference MinHash estimates. */
export function exactJaccard(a: Uint32Array, b: Uint32Array): number {
  const A = new Set(a),
    B = new Set(b);
  let inter = 0;
  for (const x of A) if (B.has(x)) inter++;
  const union = A.size + B.size - inter;
  return union === 0 ? 1 : inter / union;
}
