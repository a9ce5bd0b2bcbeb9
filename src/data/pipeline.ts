// The whole cleaning pipeline, one document at a time:
//   mail parsing (rfc822 sources) -> normalisation -> quality filters -> PII scrubbing
//   -> exact dedup -> near dedup (MinHash+LSH) -> split assignment -> sink
// Every decision is counted and the first few examples of each are kept for the report.
import { cleanMail } from "./mail";
import { normalizeText } from "./normalize";
import { applyFilters, FilterOptions, FILTER_NAMES } from "./filters";
import { emptyPiiCounts, PiiCounts, PiiType, scrubPii } from "./pii";
import { ExactDeduper } from "./dedup/exact";
import { Cluster, NearDeduper, NearDupOptions } from "./dedup/near";
import { DiversityAccumulator, DiversityReport } from "./diversity";
import { assignSplit, Split, SplitFractions } from "./split";
import { Doc, LoopOptions, throwIfAborted } from "./types";

export interface PipelineOptions extends LoopOptions {
  filters?: FilterOptions;
  pii?: PiiType[] | false;
  nearDup?: NearDupOptions | false;
  splits?: SplitFractions;
  /** How many removed examples to keep per filter in the report. */
  examples?: number;
}

export interface RemovedExample {
  id: string;
  reason: string;
  excerpt: string;
}

export interface PipelineReport {
  documentsIn: number;
  bytesIn: number;
  perSource: Record<string, { in: number; kept: number; bytesIn: number; bytesKept: number; share: number }>;
  removedByFilter: Record<string, number>;
  removedExamples: Record<string, RemovedExample[]>;
  piiReplaced: PiiCounts;
  exactDuplicates: number;
  nearDuplicates: number;
  duplicatesRemoved: number;
  duplicateClusters: Cluster[];
  lsh: NearDeduper["params"] | null;
  documentsKept: number;
  bytesKept: number;
  splits: Record<Split, number>;
  diversity: DiversityReport;
  seconds: number;
}

export type KeptDoc = Doc & { split: Split };

/** Mail to text, then normalise: the per-document transform before any decision. */
export function cleanDoc(doc: Doc): Doc {
  const text = doc.metadata.format === "rfc822" ? cleanMail(doc.text).text : doc.text;
  return { ...doc, text: normalizeText(text) };
}

export async function runPipeline(
  docs: AsyncIterable<Doc> | Iterable<Doc>,
  sink: (d: KeptDoc) => void | Promise<void>,
  opts: PipelineOptions = {},
): Promise<PipelineReport> {
  const t0 = Date.now();
  const exact = new ExactDeduper();
  const near = opts.nearDup === false ? null : new NearDeduper(opts.nearDup);
  const diversity = new DiversityAccumulator();
  const maxEx = opts.examples ?? 3;
  const r: PipelineReport = {
    documentsIn: 0,
    bytesIn: 0,
    perSource: {},
    removedByFilter: Object.fromEntries([...FILTER_NAMES, "exact_duplicate", "near_duplicate"].map((f) => [f, 0])),
    removedExamples: {},
    piiReplaced: emptyPiiCounts(),
    exactDuplicates: 0,
    nearDuplicates: 0,
    duplicatesRemoved: 0,
    duplicateClusters: [],
    lsh: near?.params ?? null,
    documentsKept: 0,
    bytesKept: 0,
    splits: { train: 0, val: 0, test: 0 },
    diversity: diversity.report(),
    seconds: 0,
  };
  const remove = (doc: Doc, filter: string, reason: string) => {
    r.removedByFilter[filter] = (r.removedByFilter[filter] ?? 0) + 1;
    const ex = (r.removedExamples[filter] ??= []);
    // Excerpts are scrubbed too: the report must not leak what the corpus does not keep.
    if (ex.length < maxEx) ex.push({ id: doc.id, reason, excerpt: scrubPii(doc.text.slice(0, 300)).text });
  };
  for await (const raw of docs) {
    throwIfAborted(opts.signal);
    const bytes = Buffer.byteLength(raw.text);
    r.documentsIn++;
    r.bytesIn += bytes;
    const ps = (r.perSource[raw.source] ??= { in: 0, kept: 0, bytesIn: 0, bytesKept: 0, share: 0 });
    ps.in++;
    ps.bytesIn += bytes;
    let doc = cleanDoc(raw);
    const removal = applyFilters(doc.text, opts.filters);
    if (removal) {
      remove(doc, removal.filter, removal.reason);
      continue;
    }
    if (opts.pii !== false) {
      const s = scrubPii(doc.text, opts.pii);
      for (const k of Object.keys(s.counts) as PiiType[]) r.piiReplaced[k] += s.counts[k];
      doc = { ...doc, text: s.text };
    }
    const dupOf = exact.check(doc.id, doc.text);
    if (dupOf) {
      r.exactDuplicates++;
      remove(doc, "exact_duplicate", `same normalised text as ${dupOf}`);
      continue;
    }
    const nd = near?.check(doc.id, doc.text);
    if (nd) {
      r.nearDuplicates++;
      remove(doc, "near_duplicate", `estimated Jaccard ${nd.jaccard.toFixed(3)} with ${nd.of}`);
      continue;
    }
    const split = assignSplit(doc.id, opts.splits);
    r.splits[split]++;
    r.documentsKept++;
    const kb = Buffer.byteLength(doc.text);
    r.bytesKept += kb;
    ps.kept++;
    ps.bytesKept += kb;
    diversity.add(doc);
    await sink({ ...doc, split });
    if (r.documentsIn % 100 === 0) opts.onProgress?.({ stage: "pipeline", done: r.documentsIn });
  }
  r.duplicatesRemoved = r.exactDuplicates + r.nearDuplicates;
  r.duplicateClusters = near ? [...near.clusters.values()].sort((a, b) => b.members.length - a.members.length) : [];
  for (const s of Object.values(r.perSource)) s.share = r.bytesKept ? s.bytesKept / r.bytesKept : 0;
  r.diversity = diversity.report();
  r.seconds = (Date.now() - t0) / 1000;
  opts.onProgress?.({ stage: "pipeline", done: r.documentsIn, total: r.documentsIn });
  return r;
}

/** Convenience for notebooks and tests: run over in-memory documents and collect what is kept. */
export async function cleanDocs(
  docs: AsyncIterable<Doc> | Iterable<Doc>,
  opts: PipelineOptions = {},
): Promise<{ kept: KeptDoc[]; report: PipelineReport }> {
  const kept: KeptDoc[] = [];
  const report = await runPipeline(
    docs,
    (d) => {
      kept.push(d);
    },
    opts,
  );
  return { kept, report };
}
