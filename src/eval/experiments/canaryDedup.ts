// Memorisation before and after dedup (Carlini et al. 2019; Kandpal et al. 2022, "Deduplicating
// Training Data Mitigates Privacy Risks in Language Models"): insert a canary k times, train,
// measure its exposure by enumerating the whole randomness space; dedup the corpus exactly
// (k copies become one), train again from the same seed, measure again.
import { CanaryFormat } from "../canary";
import { insertCanary } from "../canary";
import { exposureByEnumeration, ExposureResult } from "../exposure";
import { dedupExact, textKey } from "../../synthetic/filter";
import { gptScorer } from "../gpt";
import { charCodecFor, trainOnDocs, DOC_PREFIX, TrainRunOptions } from "./train";
import type { CharVocab } from "../../tokenize/charVocab";

export interface CanaryDedupOptions extends Omit<TrainRunOptions, "codec" | "init" | "val"> {
  /** Copies inserted before dedup. */
  copies: number;
  /** Default: "my PIN is {}-{}-{}" over digits (|R| = 1000, cheap to enumerate). */
  format?: CanaryFormat;
  /** Picks the secret; default: seed. */
  secretSeed?: number | string;
  codec?: CharVocab;
}

export interface CanaryDedupResult {
  canary: string;
  secret: number;
  spaceSize: number;
  copies: { before: number; after: number };
  /** Documents dedup removed (canary copies and any other exact duplicates). */
  removedByDedup: number;
  before: ExposureResult;
  after: ExposureResult;
}

export async function canaryDedup(corpus: readonly string[], opts: CanaryDedupOptions): Promise<CanaryDedupResult> {
  const seed = opts.seed ?? 0;
  const format = opts.format ?? new CanaryFormat("my PIN is {}-{}-{}");
  const secret = format.randomness(opts.secretSeed ?? seed);
  const canary = format.render(secret);
  const withCanary = insertCanary(corpus, canary, opts.copies, { seed, mode: "documents" }).corpus;
  const deduped = dedupExact(withCanary);
  const codec = opts.codec ?? charCodecFor(withCanary);
  const key = textKey(canary);
  const count = (docs: readonly string[]): number => docs.filter((d) => textKey(d) === key).length;
  const measure = async (docs: readonly string[]): Promise<ExposureResult> => {
    const { model } = await trainOnDocs(docs, { ...opts, codec, seed });
    try {
      return await exposureByEnumeration(
        format,
        secret,
        gptScorer(model, codec, { prefix: DOC_PREFIX, batchSize: 250 }),
        { signal: opts.signal },
      );
    } finally {
      model.dispose();
    }
  };
  const before = await measure(withCanary);
  const after = await measure(deduped.docs);
  return {
    canary,
    secret,
    spaceSize: format.spaceSize,
    copies: { before: count(withCanary), after: count(deduped.docs) },
    removedByDedup: deduped.removed,
    before,
    after,
  };
}
