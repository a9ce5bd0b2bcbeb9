// Passages from the four packaged sources (src/data loaders, cleaned as the data step cleans
// them) for the experiments: paragraphs of a bounded length, a seeded train/val split per source.
// Paragraphs rather than whole documents so that a character budget draws from many
// documents, and so eval examples are the size benchmark items are.
import { loadSource, SourceName, SOURCES } from "../../data/sources";
import { cleanDoc } from "../../data/pipeline";
import { aleaRng, shuffled } from "../../model/rng";
import type { SourceSplit } from "./diversity";

export interface PassageOptions {
  /** Characters of training text per source (default 20000). */
  trainChars?: number;
  /** Characters of validation text per source (default 3000). */
  valChars?: number;
  minChars?: number;
  maxChars?: number;
  /** Documents read per source before passages are drawn (default 40). */
  documents?: number;
  seed?: number | string;
  /** Keep only characters this accepts (e.g. printable ASCII for a small char vocabulary). */
  keepChar?: (c: string) => boolean;
  signal?: AbortSignal;
}

/**
 * Passages of one text within [minChars, maxChars], whitespace squeezed: blocks between blank
 * lines (or single newlines, for texts that put one paragraph per line); a longer block is
 * packed greedily into runs of whole sentences.
 */
export function paragraphs(text: string, minChars = 80, maxChars = 400): string[] {
  const blocks = /\n\s*\n/.test(text) ? text.split(/\n\s*\n/) : text.split("\n");
  const out: string[] = [];
  for (const block of blocks) {
    const b = block.replace(/\s+/g, " ").trim();
    if (b.length <= maxChars) {
      out.push(b);
      continue;
    }
    let cur = "";
    for (const s of b.split(/(?<=[.!?])\s+/)) {
      if (cur && cur.length + 1 + s.length > maxChars) {
        out.push(cur);
        cur = "";
      }
      cur = cur ? `${cur} ${s}` : s;
    }
    if (cur) out.push(cur);
  }
  return out.filter((p) => p.length >= minChars && p.length <= maxChars);
}

/** Disjoint train and val passages of each source; val documents are not train documents. */
export async function sourcePassages(
  sources: readonly SourceName[] = SOURCES,
  opts: PassageOptions = {},
): Promise<Record<string, SourceSplit>> {
  const trainChars = opts.trainChars ?? 20000;
  const valChars = opts.valChars ?? 3000;
  const out: Record<string, SourceSplit> = {};
  for (const name of sources) {
    const docs: string[][] = [];
    for await (const d of loadSource(name, { limit: opts.documents ?? 40, signal: opts.signal })) {
      let text = cleanDoc(d).text;
      if (opts.keepChar) text = Array.from(text).filter(opts.keepChar).join("");
      const ps = paragraphs(text, opts.minChars, opts.maxChars);
      if (ps.length) docs.push(ps);
    }
    if (docs.length < 2)
      throw new Error(
        `sourcePassages: source "${name}" gave ${docs.length} documents with usable paragraphs; need 2 (raise documents or lower minChars)`,
      );
    // Split by document so a val passage never shares a document with training.
    const order = shuffled(docs, aleaRng(`${opts.seed ?? 0}-${name}`));
    const take = (budget: number, from: string[][]): string[] => {
      const got: string[] = [];
      let n = 0;
      while (n < budget && from.length) {
        const doc = from.shift()!;
        for (const p of doc) {
          if (n >= budget) break;
          got.push(p);
          n += p.length;
        }
      }
      return got;
    };
    const val = take(valChars, order);
    const train = take(trainChars, order);
    if (train.length === 0)
      throw new Error(
        `sourcePassages: source "${name}" has no documents left for training after ${val.length} val passages`,
      );
    out[name] = { train, val };
  }
  return out;
}

/** Printable ASCII and newline: keeps a char vocabulary at ~96 symbols across sources. */
export const isPrintableAscii = (c: string): boolean => c === "\n" || (c >= " " && c <= "~");
