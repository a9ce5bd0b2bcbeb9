// Perplexity and bits per byte from per-token log-probabilities.
// PPL = exp(-(1/N) sum ln p(t_i | t_<i)). Perplexity depends on the tokenizer (a model with a
// bigger vocabulary predicts fewer, harder tokens), so we also report bits per byte,
// BPB = -(sum ln p) / (ln 2 * UTF-8 bytes), which compares models across tokenizers
// (Gao et al. 2020, The Pile, sec. 3). BPB is only meaningful if the log-probs cover every
// byte of the text, i.e. the first token is predicted too (from a BOS / empty context).
import { bootstrapCI, BootstrapOptions, Interval } from "./bootstrap";

/** Natural-log probabilities of each predicted token of a text. */
export interface TokenScorer {
  tokenLogProbs(text: string): Float32Array | number[] | Promise<Float32Array | number[]>;
}

export interface ScoredDoc {
  source: string;
  split?: string;
  /** Sum of -ln p over the document's tokens. */
  nll: number;
  tokens: number;
  bytes: number;
}

export interface PerplexityResult {
  group: string;
  documents: number;
  tokens: number;
  bytes: number;
  perplexity: Interval;
  bitsPerByte: Interval;
}

export function scoreFromLogProbs(
  logProbs: ArrayLike<number>,
  text: string,
  source: string,
  split?: string,
): ScoredDoc {
  let nll = 0;
  for (let i = 0; i < logProbs.length; i++) {
    const lp = logProbs[i];
    if (!(lp <= 0))
      throw new RangeError(
        `scoreFromLogProbs: log-prob ${i} of a '${source}' document is ${lp}; expected a natural log-probability <= 0`,
      );
    nll -= lp;
  }
  return { source, split, nll, tokens: logProbs.length, bytes: Buffer.byteLength(text, "utf8") };
}

/** Corpus-level perplexity: the ratio of sums, so long documents weigh by their tokens. */
export function perplexityOf(docs: readonly ScoredDoc[]): number {
  let nll = 0;
  let tokens = 0;
  for (const d of docs) {
    nll += d.nll;
    tokens += d.tokens;
  }
  if (tokens === 0) throw new RangeError("perplexityOf: no tokens");
  return Math.exp(nll / tokens);
}

export function bitsPerByteOf(docs: readonly ScoredDoc[]): number {
  let nll = 0;
  let bytes = 0;
  for (const d of docs) {
    nll += d.nll;
    bytes += d.bytes;
  }
  if (bytes === 0) throw new RangeError("bitsPerByteOf: no bytes");
  return nll / (Math.LN2 * bytes);
}

/**
 * Perplexity and BPB with bootstrap CIs (documents are the resampled unit), one row per group.
 * `by` picks the grouping: per source, per split, or per "source/split".
 */
export function perplexityReport(
  docs: readonly ScoredDoc[],
  opts: BootstrapOptions & { by?: "source" | "split" | "source+split" | "all" } = {},
): PerplexityResult[] {
  const by = opts.by ?? "source";
  const keyOf = (d: ScoredDoc): string =>
    by === "all"
      ? "all"
      : by === "source"
        ? d.source
        : by === "split"
          ? (d.split ?? "(none)")
          : `${d.source}/${d.split ?? "(none)"}`;
  const groups = new Map<string, ScoredDoc[]>();
  for (const d of docs) {
    const k = keyOf(d);
    const g = groups.get(k);
    if (g) g.push(d);
    else groups.set(k, [d]);
  }
  const out: PerplexityResult[] = [];
  for (const [group, g] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))) {
    out.push({
      group,
      documents: g.length,
      tokens: g.reduce((s, d) => s + d.tokens, 0),
      bytes: g.reduce((s, d) => s + d.bytes, 0),
      perplexity: bootstrapCI(g, perplexityOf, opts),
      bitsPerByte: bootstrapCI(g, bitsPerByteOf, opts),
    });
  }
  return out;
}

/** Score documents with a model-agnostic scorer; stops between documents when aborted. */
export async function scoreDocuments(
  docs: readonly { text: string; source: string; split?: string }[],
  scorer: TokenScorer,
  opts: { signal?: AbortSignal; onProgress?(info: { done: number; total: number }): void } = {},
): Promise<ScoredDoc[]> {
  const out: ScoredDoc[] = [];
  for (const d of docs) {
    if (opts.signal?.aborted) break;
    out.push(scoreFromLogProbs(await scorer.tokenLogProbs(d.text), d.text, d.source, d.split));
    opts.onProgress?.({ done: out.length, total: docs.length });
  }
  return out;
}
