// Does training on leaked eval data inflate the score? Train the same model twice, on the
// clean training set and on one with some eval examples planted into it, and score every
// eval example under both (Brown et al. 2020, app. C, in miniature). The contamination
// detector (13-gram overlap) is run on the leaked set: it must find every planted example,
// and on the clean subset it leaves the two models should score alike, which is what makes
// "report the clean subset" a fix.
import { plantLeaks, cleanVsDirty, CleanVsDirty } from "../leaks";
import { insertCanary } from "../canary";
import { ngramContamination, ContaminationReport } from "../ngramOverlap";
import { gptScorer } from "../gpt";
import { charCodecFor, trainOnDocs, DOC_PREFIX, TrainRunOptions } from "./train";
import type { CharVocab } from "../../tokenize/charVocab";
import type { GPT } from "../../model/gpt";

export interface LeakInflationOptions extends Omit<TrainRunOptions, "codec" | "init" | "val"> {
  /** How many eval examples to plant. */
  leaks: number;
  /** Copies of each planted example (web leaks of popular benchmarks come in many copies). Default 1. */
  copies?: number;
  /** n of the overlap detector (default 13). */
  n?: number;
  codec?: CharVocab;
  /** Return both trained models (the caller disposes them) instead of disposing them. */
  keepModels?: boolean;
}

export interface LeakInflationResult {
  planted: number[];
  /** Planted examples the detector flagged. */
  found: number[];
  missed: number[];
  /** Flagged examples that were not planted (natural overlap). */
  alsoFlagged: number[];
  contamination: ContaminationReport;
  /** Mean eval loss (nats/token, per example then averaged) of each model: all, clean subset, dirty subset. */
  cleanModel: CleanVsDirty;
  leakedModel: CleanVsDirty;
  /** cleanModel - leakedModel: how much lower (better) the leak made the loss look. */
  gap: { all: number; clean: number; dirty: number };
  perExample: { cleanModel: number[]; leakedModel: number[] };
  trainChars: { clean: number; leaked: number };
  codec: CharVocab;
  /** Only with keepModels. */
  models?: { clean: GPT; leaked: GPT };
}

/** Per-example mean nats per token. */
function exampleLosses(scores: Float32Array[]): number[] {
  return scores.map((lp) => (lp.length ? -lp.reduce((a, b) => a + b, 0) / lp.length : NaN));
}

export async function leakInflation(
  train: readonly string[],
  evalSet: readonly string[],
  opts: LeakInflationOptions,
): Promise<LeakInflationResult> {
  const seed = opts.seed ?? 0;
  const copies = opts.copies ?? 1;
  if (!Number.isInteger(copies) || copies < 1)
    throw new RangeError(`leakInflation: copies must be a positive integer, got ${copies}`);
  const planted = plantLeaks(train, evalSet, opts.leaks, { seed, perturb: false });
  let leaked = planted.train;
  for (const e of planted.planted)
    leaked = insertCanary(leaked, evalSet[e], copies - 1, { seed: `${seed}-${e}`, mode: "inline" }).corpus;
  const contamination = await ngramContamination(leaked, evalSet, { n: opts.n, signal: opts.signal });
  const dirty = new Set(contamination.flags.filter((f) => f.dirty).map((f) => f.index));
  const codec = opts.codec ?? charCodecFor([...leaked, ...evalSet]);
  const run = { ...opts, codec, seed };
  const models: GPT[] = [];
  const scoreWith = async (docs: readonly string[]): Promise<number[]> => {
    const { model } = await trainOnDocs(docs, run);
    models.push(model);
    return exampleLosses(gptScorer(model, codec, { prefix: DOC_PREFIX }).tokenLogProbsBatch(evalSet));
  };
  let cleanLosses: number[];
  let leakedLosses: number[];
  try {
    cleanLosses = await scoreWith(train);
    leakedLosses = await scoreWith(leaked);
  } catch (e) {
    models.forEach((m) => m.dispose());
    throw e;
  }
  if (!opts.keepModels) models.forEach((m) => m.dispose());
  const cleanModel = cleanVsDirty(contamination, cleanLosses);
  const leakedModel = cleanVsDirty(contamination, leakedLosses);
  const chars = (ds: readonly string[]): number => ds.reduce((n, d) => n + d.length, 0);
  return {
    planted: planted.planted,
    found: planted.planted.filter((e) => dirty.has(e)),
    missed: planted.planted.filter((e) => !dirty.has(e)),
    alsoFlagged: [...dirty].filter((e) => !planted.into.has(e)).sort((a, b) => a - b),
    contamination,
    cleanModel,
    leakedModel,
    gap: {
      all: cleanModel.all - leakedModel.all,
      clean: cleanModel.clean - leakedModel.clean,
      dirty: cleanModel.dirty - leakedModel.dirty,
    },
    perExample: { cleanModel: cleanLosses, leakedModel: leakedLosses },
    trainChars: { clean: chars(train), leaked: chars(leaked) },
    codec,
    ...(opts.keepModels ? { models: { clean: models[0], leaked: models[1] } } : {}),
  };
}
