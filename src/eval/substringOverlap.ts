// GPT-4 style contamination check (OpenAI 2023, "GPT-4 Technical Report", appendix C):
// "Both evaluation and training data are processed by removing all spaces and symbols, keeping
// only characters (including numbers). For each evaluation example, we randomly select three
// substrings of 50 characters (or use the entire example if it's less than 50 characters).
// A match is identified if any of the three sampled evaluation substrings is a substring of
// the processed training example."
// Training text is streamed once with a Rabin-Karp rolling hash per query length, so the cost is
// one multiply per training character, not one string search per query.
import { aleaRng } from "../model/rng";
import { ContaminationReport, ExampleFlag, scanAll, ScanOptions, summarize } from "./ngramOverlap";

export function normalizeChars(text: string, lowercase = false): string {
  const kept = text.replace(/[^\p{L}\p{N}]+/gu, "");
  return lowercase ? kept.toLowerCase() : kept;
}

export interface SubstringOptions {
  /** Substring length; 50 in the report. */
  length?: number;
  /** Substrings per example; 3 in the report. */
  perExample?: number;
  seed?: number | string;
  /** The report keeps case; lower-casing as well catches more. Default false. */
  lowercase?: boolean;
}

const BASE = 0x01000193;

function hashOf(s: string, start: number, len: number): number {
  let h = 0;
  for (let i = start; i < start + len; i++) h = (Math.imul(h, BASE) + s.charCodeAt(i)) | 0;
  return h;
}

interface Query {
  example: number;
  text: string;
}

export class SubstringOverlapIndex {
  readonly length: number;
  readonly lowercase: boolean;
  /** The sampled substrings per example (for inspection). */
  readonly queries: string[][];
  /** query length -> rolling hash -> queries */
  private readonly byLength = new Map<number, Map<number, Query[]>>();
  private readonly flags: ExampleFlag[];

  constructor(evalExamples: readonly string[], opts: SubstringOptions = {}) {
    this.length = opts.length ?? 50;
    const per = opts.perExample ?? 3;
    this.lowercase = opts.lowercase ?? false;
    if (!Number.isInteger(this.length) || this.length < 1)
      throw new RangeError(`SubstringOverlapIndex: length must be a positive integer, got ${this.length}`);
    const rng = aleaRng(opts.seed ?? 0);
    this.flags = evalExamples.map((_, index) => ({ index, dirty: false, hits: 0 }));
    this.queries = evalExamples.map((e, example) => {
      const s = normalizeChars(e, this.lowercase);
      if (s.length === 0) return [];
      const picked =
        s.length <= this.length
          ? [s]
          : Array.from({ length: per }, () => {
              const start = rng.int(s.length - this.length + 1);
              return s.slice(start, start + this.length);
            });
      for (const q of picked) {
        let table = this.byLength.get(q.length);
        if (!table) this.byLength.set(q.length, (table = new Map()));
        const h = hashOf(q, 0, q.length);
        const list = table.get(h);
        if (list) list.push({ example, text: q });
        else table.set(h, [{ example, text: q }]);
      }
      return picked;
    });
  }

  scan(trainText: string, trainDoc: number): void {
    const s = normalizeChars(trainText, this.lowercase);
    for (const [len, table] of this.byLength) {
      if (s.length < len) continue;
      // BASE^(len-1) mod 2^32, to drop the outgoing character.
      let top = 1;
      for (let i = 0; i < len - 1; i++) top = Math.imul(top, BASE);
      let h = hashOf(s, 0, len);
      for (let i = 0; ; i++) {
        const hits = table.get(h);
        if (hits) {
          for (const q of hits) {
            if (!s.startsWith(q.text, i)) continue; // hash collision
            const f = this.flags[q.example];
            f.hits++;
            if (!f.dirty) {
              f.dirty = true;
              f.first = { trainDoc, ngram: q.text };
            }
          }
        }
        if (i + len >= s.length) break;
        h = (Math.imul(h - Math.imul(s.charCodeAt(i), top), BASE) + s.charCodeAt(i + len)) | 0;
      }
    }
  }

  report(): ContaminationReport {
    return summarize(
      `gpt4-${this.length}char`,
      this.flags.map((f) => ({ ...f })),
    );
  }
}

/** GPT-4 style substring contamination of `evalExamples` by `train`. */
export async function substringContamination(
  train: Iterable<string>,
  evalExamples: readonly string[],
  opts: ScanOptions & SubstringOptions = {},
): Promise<ContaminationReport> {
  const index = new SubstringOverlapIndex(evalExamples, opts);
  const total = Array.isArray(train) ? train.length : NaN;
  await scanAll(train, (doc, i) => index.scan(doc, i), total, opts);
  return index.report();
}
