// Diversity report: how much of what the corpus holds, and how varied its language is.
// Type-token ratio depends on sample length, so it is measured on equal-sized samples
// (the first `ttrWindow` tokens of each group); n-gram entropy is the Shannon entropy in
// bits of the empirical word n-gram distribution (on a sample of documents in the pipeline).
import { Doc } from "./types";
import { fmix32, hashString } from "./dedup/minhash";

export interface GroupStats {
  documents: number;
  tokens: number;
  bytes: number;
}
export interface DiversityReport {
  total: GroupStats;
  bySource: Record<string, GroupStats>;
  byGenre: Record<string, GroupStats>;
  byDecade: Record<string, GroupStats>;
  typeTokenRatio: Record<string, number>;
  ngramEntropyBits: { unigram: number; bigram: number; trigram: number };
}

export function entropyBits(counts: Iterable<number>): number {
  let total = 0;
  const cs = [...counts];
  for (const c of cs) total += c;
  let h = 0;
  for (const c of cs) if (c > 0) h -= (c / total) * Math.log2(c / total);
  return h;
}

export class DiversityAccumulator {
  private readonly stats = {
    total: newStats(),
    bySource: {} as Record<string, GroupStats>,
    byGenre: {} as Record<string, GroupStats>,
    byDecade: {} as Record<string, GroupStats>,
  };
  private readonly ttrSamples = new Map<string, { types: Set<string>; tokens: number }>();
  // n-grams are counted by a 32-bit hash of their word hashes: a few collisions among
  // millions of keys move the entropy by far less than its last printed digit, and numeric
  // keys make counting ~5x faster than joined strings.
  private readonly ngrams = [new Map<number, number>(), new Map<number, number>(), new Map<number, number>()];
  private ngramTokens = 0;
  /** n-grams are counted on a deterministic sample of documents (by id hash), up to a token budget. */
  constructor(
    readonly ttrWindow = 10_000,
    readonly ngramSample = 0.25,
    readonly ngramBudget = 2_000_000,
  ) {}

  add(doc: Doc): void {
    const toks = doc.text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
    const bytes = Buffer.byteLength(doc.text);
    const decade = doc.year === null ? "unknown" : `${Math.floor(doc.year / 10) * 10}s`;
    for (const [map, key] of [
      [this.stats.bySource, doc.source],
      [this.stats.byGenre, `${doc.source}/${doc.genre ?? "none"}`],
      [this.stats.byDecade, decade],
    ] as const) {
      const g = (map[key] ??= newStats());
      g.documents++;
      g.tokens += toks.length;
      g.bytes += bytes;
    }
    this.stats.total.documents++;
    this.stats.total.tokens += toks.length;
    this.stats.total.bytes += bytes;
    const s = this.ttrSamples.get(doc.source) ?? { types: new Set<string>(), tokens: 0 };
    for (const t of toks) {
      if (s.tokens >= this.ttrWindow) break;
      s.types.add(t);
      s.tokens++;
    }
    this.ttrSamples.set(doc.source, s);
    // n-gram counts on a bounded budget so the report's memory stays bounded too.
    if (this.ngramTokens < this.ngramBudget && hashString(doc.id) / 2 ** 32 < this.ngramSample) {
      const h = toks.map(hashString);
      for (let n = 1; n <= 3; n++)
        for (let i = 0; i + n <= h.length; i++) {
          let g = h[i];
          for (let j = 1; j < n; j++) g = fmix32((Math.imul(g, 31) + h[i + j]) >>> 0);
          this.ngrams[n - 1].set(g, (this.ngrams[n - 1].get(g) ?? 0) + 1);
        }
      this.ngramTokens += toks.length;
    }
  }

  report(): DiversityReport {
    const ttr: Record<string, number> = {};
    for (const [k, s] of this.ttrSamples) ttr[k] = s.tokens ? s.types.size / s.tokens : 0;
    return {
      ...this.stats,
      typeTokenRatio: ttr,
      ngramEntropyBits: {
        unigram: entropyBits(this.ngrams[0].values()),
        bigram: entropyBits(this.ngrams[1].values()),
        trigram: entropyBits(this.ngrams[2].values()),
      },
    };
  }
}

function newStats(): GroupStats {
  return { documents: 0, tokens: 0, bytes: 0 };
}

export function diversityReport(docs: Iterable<Doc>, ttrWindow?: number, ngramSample = 1): DiversityReport {
  const acc = new DiversityAccumulator(ttrWindow, ngramSample);
  for (const d of docs) acc.add(d);
  return acc.report();
}
