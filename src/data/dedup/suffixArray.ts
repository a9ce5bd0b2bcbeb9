// Exact-substring dedup with a suffix array (Lee et al. 2021, "Deduplicating Training Data
// Makes Language Models Better", ExactSubstr): any span of >= minTokens words that already
// occurred earlier in the corpus is cut from the later document. Hand-written: prefix
// doubling (Manber & Myers 1993) in O(n log^2 n) and Kasai et al.'s LCP in O(n); fine for
// the course's few million words, not for web scale (Lee et al. use a Rust SA-IS).

export function suffixArray(s: Int32Array): Int32Array {
  const n = s.length;
  const sa = new Int32Array(n).map((_, i) => i);
  // Initial ranks: symbols compacted to 0..m-1 so that -1 can mean "past the end".
  const alphabet = [...new Set(s)].sort((a, b) => a - b);
  const code = new Map(alphabet.map((v, i) => [v, i]));
  let rank = Int32Array.from(s, (v) => code.get(v) ?? 0);
  const tmp = new Int32Array(n);
  for (let k = 1; ; k <<= 1) {
    const key = (i: number) => (i + k < n ? rank[i + k] : -1);
    const idx = Array.from(sa).sort((a, b) => rank[a] - rank[b] || key(a) - key(b));
    sa.set(idx);
    tmp[sa[0]] = 0;
    for (let i = 1; i < n; i++) {
      const a = sa[i - 1],
        b = sa[i];
      tmp[b] = tmp[a] + (rank[a] !== rank[b] || key(a) !== key(b) ? 1 : 0);
    }
    rank = Int32Array.from(tmp);
    if (n === 0 || rank[sa[n - 1]] === n - 1) break;
  }
  return sa;
}

/** lcp[i] = longest common prefix of suffixes sa[i-1] and sa[i] (lcp[0] = 0). Kasai et al. 2001. */
export function lcpArray(s: Int32Array, sa: Int32Array): Int32Array {
  const n = s.length,
    rank = new Int32Array(n),
    lcp = new Int32Array(n);
  for (let i = 0; i < n; i++) rank[sa[i]] = i;
  let h = 0;
  for (let i = 0; i < n; i++) {
    if (rank[i] > 0) {
      const j = sa[rank[i] - 1];
      while (i + h < n && j + h < n && s[i + h] === s[j + h]) h++;
      lcp[rank[i]] = h;
      if (h > 0) h--;
    } else h = 0;
  }
  return lcp;
}

export interface SubstringDedupResult {
  texts: string[];
  removedTokens: number;
  removedSpans: number;
}

/** Cut from each text every span of >= minTokens words that occurred earlier (in order, or earlier in the same text). */
export function exactSubstringDedup(texts: string[], minTokens = 50): SubstringDedupResult {
  const vocab = new Map<string, number>();
  const ids: number[] = [],
    start: number[] = [],
    end: number[] = [],
    first: number[] = [];
  texts.forEach((t, d) => {
    first.push(ids.length);
    for (const m of t.matchAll(/\S+/g)) {
      let id = vocab.get(m[0]);
      if (id === undefined) {
        id = vocab.size;
        vocab.set(m[0], id);
      }
      ids.push(id);
      start.push(m.index ?? 0);
      end.push((m.index ?? 0) + m[0].length);
    }
    ids.push(-(d + 1));
    start.push(t.length);
    end.push(t.length); // unique separator: no match crosses documents
  });
  const s = Int32Array.from(ids);
  const sa = suffixArray(s),
    lcp = lcpArray(s, sa);
  const cut = new Uint8Array(s.length);
  // A run of adjacent suffixes sharing >= minTokens: all start the same repeated span;
  // the earliest position keeps it, every later one is cut for minTokens words.
  for (let i = 1; i < s.length;) {
    if (lcp[i] < minTokens) {
      i++;
      continue;
    }
    let j = i,
      first = sa[i - 1];
    while (j < s.length && lcp[j] >= minTokens) {
      first = Math.min(first, sa[j]);
      j++;
    }
    for (let q = i - 1; q < j; q++) if (sa[q] !== first) cut.fill(1, sa[q], sa[q] + minTokens);
    i = j;
  }
  let removedTokens = 0,
    removedSpans = 0;
  const out = texts.map((t, d) => {
    let res = "",
      pos = 0,
      inSpan = false;
    for (let p = first[d]; s[p] >= 0; p++) {
      if (cut[p]) {
        if (!inSpan) {
          res += t.slice(pos, start[p]);
          removedSpans++;
          inSpan = true;
        }
        removedTokens++;
        pos = end[p];
      } else inSpan = false;
    }
    return (res + t.slice(pos)).replace(/[ \t]{2,}/g, " ").trim();
  });
  return { texts: out, removedTokens, removedSpans };
}
