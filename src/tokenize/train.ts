// Training a byte-level BPE tokenizer, minbpe style (Karpathy's RegexTokenizer): split the text
// with a regex, start from the 256 bytes, and repeatedly merge the most frequent adjacent pair.
// Counting is incremental, as in Hugging Face's BpeTrainer: each chunk is stored once with its
// count, symbols form linked lists, every pair keeps the positions where it occurs and a heap
// keeps pairs by count; a merge touches only the positions of the merged pair, instead of
// minbpe's full recount of all pairs per merge (trainNaive in naive.ts, the test reference).
import { BPETokenizer } from "./bpe";
import { MinHeap } from "./heap";
import { PairMap } from "./pairmap";
import { GPT2_SPLIT_PATTERN, GPT4_SPLIT_PATTERN, SPLIT_PATTERNS, splitText } from "./patterns";
import { gpt2ChunkEnd, gpt4ChunkEnd } from "./pretokenize";

export interface TrainOptions {
  /** 256 byte tokens + merges (special tokens come after, on top). */
  vocabSize: number;
  /** Split regex (JavaScript) or "gpt2" / "gpt4"; default "gpt4" (cl100k's split). */
  pattern?: string;
  /** Special tokens appended after the vocabulary; default ["<|endoftext|>"]. */
  specialTokens?: string[];
  signal?: AbortSignal;
  onProgress?(info: { merges: number; total: number; pair: [number, number]; count: number }): void;
}

/** Unique chunks of the text with their counts, as byte arrays. */
export function chunkCounts(text: string, pattern: string): { chunks: Uint8Array[]; counts: number[] } {
  const counts = new Map<string, number>();
  const chunkEnd =
    pattern === GPT2_SPLIT_PATTERN ? gpt2ChunkEnd : pattern === GPT4_SPLIT_PATTERN ? gpt4ChunkEnd : undefined;
  if (chunkEnd) {
    // The scanners split exactly like the regexes (patterns.test.ts), without a match object per chunk.
    for (let i = 0; i < text.length;) {
      const j = chunkEnd(text, i);
      const c = text.slice(i, j);
      counts.set(c, (counts.get(c) ?? 0) + 1);
      i = j;
    }
  } else for (const c of splitText(text, pattern)) counts.set(c, (counts.get(c) ?? 0) + 1);
  const enc = new TextEncoder();
  return { chunks: [...counts.keys()].map((c) => enc.encode(c)), counts: [...counts.values()] };
}

export function resolvePattern(pattern: string | undefined): string {
  return pattern === undefined ? GPT4_SPLIT_PATTERN : (SPLIT_PATTERNS[pattern] ?? pattern);
}

export function checkVocabSize(vocabSize: number): void {
  if (!Number.isInteger(vocabSize) || vocabSize < 256)
    throw new Error(`vocabSize ${vocabSize}: expected an integer >= 256 (the 256 byte tokens plus merges)`);
}

/**
 * Learned merges on weighted chunks: merges[i] = [a, b] makes id targets[i]. A new id is
 * 256 + (number of new tokens so far), except when a + b spells a token that already exists
 * (two merge paths to the same bytes): then that id is reused, as Hugging Face's trainer does,
 * so one byte string is never two tokens. Ties on count go to the smallest (a, b).
 */
export interface Merges {
  merges: Array<[number, number]>;
  targets: number[];
  /** id -> bytes for 0 .. vocabSize-1. */
  tokens: Uint8Array[];
}

/** Bytes of a + b, and a lookup from bytes to an existing id. */
export class Vocab {
  tokens: Uint8Array[] = [];
  private ids = new Map<string, number>();
  constructor() {
    for (let b = 0; b < 256; b++) this.add(Uint8Array.of(b));
  }
  private add(bytes: Uint8Array): number {
    this.tokens.push(bytes);
    this.ids.set(Buffer.from(bytes).toString("latin1"), this.tokens.length - 1);
    return this.tokens.length - 1;
  }
  /** Id of the token a + b, created if new. */
  merge(a: number, b: number): number {
    const bytes = new Uint8Array(this.tokens[a].length + this.tokens[b].length);
    bytes.set(this.tokens[a]);
    bytes.set(this.tokens[b], this.tokens[a].length);
    return this.ids.get(Buffer.from(bytes).toString("latin1")) ?? this.add(bytes);
  }
}

export function learnMerges(chunks: Uint8Array[], counts: number[], opts: TrainOptions): Merges {
  checkVocabSize(opts.vocabSize);
  // Symbols of all chunks in one array; a chunk's symbols are a linked list (next/prev, -1 ends).
  let total = 0;
  for (const c of chunks) total += c.length;
  const sym = new Int32Array(total);
  const next = new Int32Array(total);
  const prev = new Int32Array(total);
  const weight = new Float64Array(total); // count of the chunk the position belongs to
  let o = 0;
  chunks.forEach((c, w) => {
    for (let k = 0; k < c.length; k++) {
      sym[o + k] = c[k];
      next[o + k] = k + 1 < c.length ? o + k + 1 : -1;
      prev[o + k] = k > 0 ? o + k - 1 : -1;
      weight[o + k] = counts[w];
    }
    o += c.length;
  });

  // Pair (a, b) -> index p; count[p]; where[p]: left positions where it has occurred.
  const index = new PairMap(1 << 16);
  const pairA: number[] = [];
  const pairB: number[] = [];
  const count: number[] = [];
  const where: number[][] = [];
  const pairOf = (a: number, b: number): number => {
    let p = index.get(a, b);
    if (p < 0) {
      p = pairA.length;
      index.set(a, b, p);
      pairA.push(a);
      pairB.push(b);
      count.push(0);
      where.push([]);
    }
    return p;
  };
  const changed = new Set<number>();
  const add = (a: number, b: number, w: number, at: number): void => {
    const p = pairOf(a, b);
    count[p] += w;
    if (at >= 0) where[p].push(at);
    changed.add(p);
  };
  for (let i = 0; i < total; i++) if (next[i] >= 0) add(sym[i], sym[next[i]], weight[i], i);

  // Max-count heap via min-heap on -count; ties: smallest (a, b). Entries go stale when a count
  // changes (a fresh entry is pushed then); a popped entry is used only if its count is current.
  const heap = new MinHeap(1 << 16);
  const KEY = 2 ** 21; // ids < 2^21 keep a * KEY + b exact
  const flush = (): void => {
    for (const p of changed) if (count[p] > 0) heap.push(-count[p], pairA[p] * KEY + pairB[p], p);
    changed.clear();
  };
  flush();

  const vocab = new Vocab();
  const merges: Array<[number, number]> = [];
  const targets: number[] = [];
  const wanted = opts.vocabSize - 256;
  while (vocab.tokens.length < opts.vocabSize && !opts.signal?.aborted) {
    let best = -1;
    while (heap.size > 0) {
      const p = heap.topPayload();
      const c = -heap.topPrimary();
      heap.pop();
      if (c === count[p] && c > 0) {
        best = p;
        break;
      }
    }
    if (best < 0) break; // every chunk is a single token: nothing left to merge
    const a = pairA[best];
    const b = pairB[best];
    const c = count[best];
    const t = vocab.merge(a, b);
    // Left to right within a chunk, like minbpe's merge(): "aaa" with (a, a) -> [aa, a].
    const positions = Int32Array.from(where[best]).sort();
    where[best] = [];
    for (let k = 0; k < positions.length; k++) {
      const i = positions[k];
      const j = next[i];
      if (sym[i] !== a || j < 0 || sym[j] !== b) continue; // stale: merged away since
      const w = weight[i];
      const h = prev[i];
      const n2 = next[j];
      if (h >= 0) {
        add(sym[h], a, -w, -1);
        add(sym[h], t, w, h);
      }
      if (n2 >= 0) {
        add(b, sym[n2], -w, -1);
        add(t, sym[n2], w, i);
      }
      add(a, b, -w, -1);
      sym[i] = t;
      sym[j] = -1;
      next[i] = n2;
      if (n2 >= 0) prev[n2] = i;
    }
    flush();
    merges.push([a, b]);
    targets.push(t);
    opts.onProgress?.({ merges: merges.length, total: wanted, pair: [a, b], count: c });
  }
  return { merges, targets, tokens: vocab.tokens };
}

/** Assemble a tokenizer from learned merges. */
export function tokenizerFromMerges(m: Merges, pattern: string, specials: string[]): BPETokenizer {
  const specialTokens: Record<string, number> = {};
  specials.forEach((s, k) => (specialTokens[s] = m.tokens.length + k));
  return BPETokenizer.fromMerges({ tokens: m.tokens, merges: m.merges, pattern, specialTokens });
}

/** Train a byte-level BPE tokenizer on text (stops early, usable, if opts.signal aborts). */
export function trainBPE(text: string, opts: TrainOptions): BPETokenizer {
  checkVocabSize(opts.vocabSize);
  const pattern = resolvePattern(opts.pattern);
  const { chunks, counts } = chunkCounts(text, pattern);
  return tokenizerFromMerges(learnMerges(chunks, counts, opts), pattern, opts.specialTokens ?? ["<|endoftext|>"]);
}
