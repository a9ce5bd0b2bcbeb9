// GPT-3 style contamination check (Brown et al. 2020, "Language Models are Few-Shot Learners",
// appendix C): an eval example is "dirty" if any of its N-grams (normalised words, N = 13 by
// default) occurs in any training document, or, when the example is shorter than N words, if
// the whole example occurs. Everything else is the "clean" subset.
// The eval side is indexed (it is small), then the training side is streamed once.
import { HashedWords, hashWords, ngramKey, normalizeWords, sameWords } from "./ngram";
import { quantileSorted } from "./bootstrap";

export interface OverlapMatch {
  trainDoc: number;
  /** The overlapping normalised words. */
  ngram: string;
}

export interface ExampleFlag {
  index: number;
  dirty: boolean;
  /** How many (training position, example n-gram) hits were found. */
  hits: number;
  first?: OverlapMatch;
}

export interface ContaminationReport {
  method: string;
  flags: ExampleFlag[];
  dirty: number;
  rate: number;
  /** Indices of the clean examples, in order. */
  clean: number[];
}

export interface ScanOptions {
  signal?: AbortSignal;
  onProgress?(info: { done: number; total: number }): void;
}

/**
 * GPT-3's per-task N: the 5th percentile example length in words, clamped to [8, 13]
 * ("Due to spurious collisions at lower values of N we use a minimum value of 8 ...
 * For performance reasons, we set a maximum value of 13").
 */
export function gpt3NgramSize(evalExamples: readonly string[]): number {
  if (evalExamples.length === 0) throw new RangeError("gpt3NgramSize: no eval examples");
  const lengths = Float64Array.from(evalExamples.map((e) => normalizeWords(e).length)).sort();
  return Math.min(13, Math.max(8, Math.floor(quantileSorted(lengths, 0.05))));
}

interface Posting {
  example: number;
  start: number;
}

export class NgramOverlapIndex {
  readonly n: number;
  private readonly examples: HashedWords[];
  /** length -> key -> postings; length is n, or the full length of a shorter example. */
  private readonly byLength = new Map<number, Map<number, Posting[]>>();
  private readonly flags: ExampleFlag[];

  constructor(evalExamples: readonly string[], n = 13) {
    if (!Number.isInteger(n) || n < 1)
      throw new RangeError(`NgramOverlapIndex: n must be a positive integer, got ${n}`);
    this.n = n;
    this.examples = evalExamples.map((e) => hashWords(normalizeWords(e)));
    this.flags = evalExamples.map((_, index) => ({ index, dirty: false, hits: 0 }));
    this.examples.forEach((h, example) => {
      const len = Math.min(n, h.words.length);
      if (len === 0) return; // an empty example cannot overlap anything
      let table = this.byLength.get(len);
      if (!table) this.byLength.set(len, (table = new Map()));
      for (let start = 0; start + len <= h.words.length; start++) {
        const key = ngramKey(h, start, len);
        const list = table.get(key);
        if (list) list.push({ example, start });
        else table.set(key, [{ example, start }]);
      }
    });
  }

  /** Scan one training document and update the flags. */
  scan(trainText: string, trainDoc: number): void {
    const t = hashWords(normalizeWords(trainText));
    for (const [len, table] of this.byLength) {
      for (let i = 0; i + len <= t.words.length; i++) {
        const postings = table.get(ngramKey(t, i, len));
        if (!postings) continue;
        for (const p of postings) {
          const ex = this.examples[p.example];
          if (!sameWords(t.words, i, ex.words, p.start, len)) continue; // hash collision
          const f = this.flags[p.example];
          f.hits++;
          if (!f.dirty) {
            f.dirty = true;
            f.first = { trainDoc, ngram: t.words.slice(i, i + len).join(" ") };
          }
        }
      }
    }
  }

  report(): ContaminationReport {
    return summarize(
      `gpt3-${this.n}gram`,
      this.flags.map((f) => ({ ...f })),
    );
  }
}

export function summarize(method: string, flags: ExampleFlag[]): ContaminationReport {
  const clean = flags.filter((f) => !f.dirty).map((f) => f.index);
  const dirty = flags.length - clean.length;
  return { method, flags, dirty, rate: flags.length ? dirty / flags.length : 0, clean };
}

/** Yield to the event loop every so often so an abort (kernel interrupt) can land. */
export async function scanAll(
  train: Iterable<string>,
  scanOne: (text: string, i: number) => void,
  total: number,
  opts: ScanOptions,
): Promise<void> {
  let i = 0;
  for (const doc of train) {
    if (opts.signal?.aborted) return;
    scanOne(doc, i++);
    if (i % 256 === 0) {
      opts.onProgress?.({ done: i, total });
      await new Promise((r) => setImmediate(r));
    }
  }
  opts.onProgress?.({ done: i, total });
}

/** GPT-3 style n-gram contamination of `evalExamples` by `train` (n = 13 unless given). */
export async function ngramContamination(
  train: Iterable<string>,
  evalExamples: readonly string[],
  opts: ScanOptions & { n?: number } = {},
): Promise<ContaminationReport> {
  const index = new NgramOverlapIndex(evalExamples, opts.n ?? 13);
  const total = Array.isArray(train) ? train.length : NaN;
  await scanAll(train, (doc, i) => index.scan(doc, i), total, opts);
  return index.report();
}
