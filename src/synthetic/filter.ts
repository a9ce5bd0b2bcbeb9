// Filter synthetic data before it meets the training set: length bounds, exact duplicates
// (among the synthetic examples and against real documents, after normalisation), and n-gram
// overlap with real data (the GPT-3 13-gram rule turned around: a synthetic example that
// shares an n-gram with, say, the eval split would leak it into training).
import { createHash } from "crypto";
import { normalizeWords } from "../eval/ngram";
import { NgramOverlapIndex } from "../eval/ngramOverlap";
import type { SyntheticExample } from "./provenance";

export type RemovalReason = "too-short" | "too-long" | "duplicate" | "exact-real" | "ngram-real";

export interface FilterOptions {
  /** Real documents to dedup against (training and eval data). */
  real?: readonly string[];
  minWords?: number;
  maxWords?: number;
  /** n for the overlap rule; 0 disables it. Default 13. */
  n?: number;
}

export interface FilterResult {
  kept: SyntheticExample[];
  removed: { example: SyntheticExample; reason: RemovalReason; detail?: string }[];
  counts: Record<RemovalReason, number>;
}

/** Hash of the normalised words: "The  Union." and "the union" are the same text. */
export function textKey(text: string): string {
  return createHash("sha1").update(normalizeWords(text).join(" ")).digest("hex");
}

export function filterSynthetic(examples: readonly SyntheticExample[], opts: FilterOptions = {}): FilterResult {
  const real = opts.real ?? [];
  const minWords = opts.minWords ?? 1;
  const maxWords = opts.maxWords ?? Infinity;
  const n = opts.n ?? 13;
  const counts: Record<RemovalReason, number> = {
    "too-short": 0,
    "too-long": 0,
    duplicate: 0,
    "exact-real": 0,
    "ngram-real": 0,
  };
  const removed: FilterResult["removed"] = [];
  const drop = (example: SyntheticExample, reason: RemovalReason, detail?: string): void => {
    counts[reason]++;
    removed.push({ example, reason, detail });
  };
  const realKeys = new Set(real.map(textKey));
  const seen = new Set<string>();
  const survivors: SyntheticExample[] = [];
  for (const e of examples) {
    const words = normalizeWords(e.text).length;
    const key = textKey(e.text);
    if (words < minWords) drop(e, "too-short", `${words} words`);
    else if (words > maxWords) drop(e, "too-long", `${words} words`);
    else if (realKeys.has(key)) drop(e, "exact-real");
    else if (seen.has(key)) drop(e, "duplicate");
    else {
      seen.add(key);
      survivors.push(e);
    }
  }
  if (n === 0 || real.length === 0) return { kept: survivors, removed, counts };
  // Only full n-grams count here: a short example is not dropped for being a substring of
  // real text (a question "Who gave the 1830 address?" may well be), only for sharing n words.
  const long = survivors.filter((e) => normalizeWords(e.text).length >= n);
  const index = new NgramOverlapIndex(
    long.map((e) => e.text),
    n,
  );
  real.forEach((doc, i) => index.scan(doc, i));
  const dirty = new Map<SyntheticExample, string | undefined>();
  for (const f of index.report().flags) if (f.dirty) dirty.set(long[f.index], f.first?.ngram);
  const kept: SyntheticExample[] = [];
  for (const e of survivors) {
    if (dirty.has(e)) drop(e, "ngram-real", dirty.get(e));
    else kept.push(e);
  }
  return { kept, removed, counts };
}

/**
 * Exact dedup of documents (normalised words), first copy kept. Enough to collapse k inserted
 * copies of a canary document, which is what notebook 08's "exposure after dedup" measures.
 */
export function dedupExact(docs: readonly string[]): { docs: string[]; removed: number } {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const d of docs) {
    const k = textKey(d);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(d);
  }
  return { docs: out, removed: docs.length - out.length };
}
