// Applying learned merges to one pre-split chunk: repeatedly merge the adjacent pair with
// the lowest rank, the leftmost one on ties (what tiktoken, minbpe and HF tokenizers do).
import { MinHeap } from "./heap";
import { PairMap } from "./pairmap";

const NONE = 0x7fffffff;
/** Chunks longer than this use the O(n log n) heap path; shorter ones the O(n^2) scan,
 *  which is faster for the typical 2-10 byte chunk. */
const LONG = 48;

let rankAt = new Int32Array(256); // rankAt[i]: rank of the pair (ids[i], ids[i+1])
let mergedAt = new Int32Array(256); // mergedAt[i]: the merge index of that pair, or -1

/**
 * Merge ids[0, n) in place; returns the new length.
 * pairs: (left id, right id) -> merge index m; rank[m]: its priority (lower merges first);
 * target[m]: the id it merges into. Only merges with rank < maxRank apply (used to recover a
 * vocabulary's merge list).
 */
export function mergeChunk(
  ids: Int32Array,
  n: number,
  pairs: PairMap,
  rank: Int32Array,
  target: Int32Array,
  maxRank = NONE,
): number {
  if (n < 2) return n;
  if (n > LONG) return mergeLong(ids, n, pairs, rank, target, maxRank);
  if (rankAt.length < n) {
    rankAt = new Int32Array(n * 2);
    mergedAt = new Int32Array(n * 2);
  }
  const r = rankAt;
  const m = mergedAt;
  for (let i = 0; i < n - 1; i++) {
    const t = pairs.get(ids[i], ids[i + 1]);
    m[i] = t;
    r[i] = t < 0 || rank[t] >= maxRank ? NONE : rank[t];
  }
  while (n > 1) {
    let best = NONE;
    let at = -1;
    for (let i = 0; i < n - 1; i++) {
      if (r[i] < best) {
        best = r[i];
        at = i;
      }
    }
    if (at < 0) break;
    ids[at] = target[m[at]];
    for (let i = at + 1; i < n - 1; i++) {
      ids[i] = ids[i + 1];
      r[i] = r[i + 1];
      m[i] = m[i + 1];
    }
    n--;
    // Only the pairs touching the merged token changed.
    for (let i = Math.max(0, at - 1); i <= at && i < n - 1; i++) {
      const t = pairs.get(ids[i], ids[i + 1]);
      m[i] = t;
      r[i] = t < 0 || rank[t] >= maxRank ? NONE : rank[t];
    }
  }
  return n;
}

const heap = new MinHeap(256);

/** The same merges with a linked list of positions and a heap keyed (rank, position). */
function mergeLong(
  ids: Int32Array,
  n: number,
  pairs: PairMap,
  rank: Int32Array,
  target: Int32Array,
  maxRank: number,
): number {
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    next[i] = i + 1 < n ? i + 1 : -1;
    prev[i] = i - 1;
  }
  heap.clear();
  const pushPair = (i: number): void => {
    const j = next[i];
    if (j < 0) return;
    const t = pairs.get(ids[i], ids[j]);
    if (t >= 0 && rank[t] < maxRank) heap.push(rank[t], i, t);
  };
  for (let i = 0; i < n - 1; i++) pushPair(i);
  while (heap.size > 0) {
    const r = heap.topPrimary();
    const i = heap.topSecondary();
    const t = heap.topPayload();
    heap.pop();
    const j = next[i];
    // Stale if i was merged away (ids[i] = -1) or its pair has changed since the push.
    if (ids[i] < 0 || j < 0 || pairs.get(ids[i], ids[j]) !== t || rank[t] !== r) continue;
    ids[i] = target[t];
    ids[j] = -1;
    const k = next[j];
    next[i] = k;
    if (k >= 0) prev[k] = i;
    if (prev[i] >= 0) pushPair(prev[i]);
    pushPair(i);
  }
  let w = 0;
  for (let i = 0; i >= 0; i = next[i]) ids[w++] = ids[i];
  return w;
}
