// Data diversity: train one model per source and one on the mix of all sources, with the same
// number of steps (the same number of training tokens), and evaluate every model on every
// source's validation text. A model trained on one source is good at that source and poor
// elsewhere; the mix gives up a little on each source to be decent on all.
import { gptScorer, meanLoss } from "../gpt";
import { charCodecFor, trainOnDocs, DOC_PREFIX, TrainRunOptions } from "./train";
import type { CharVocab } from "../../tokenize/charVocab";

export interface SourceSplit {
  train: readonly string[];
  val: readonly string[];
}

export interface DiversityOptions extends Omit<TrainRunOptions, "codec" | "init" | "val"> {
  codec?: CharVocab;
  /** Also train one model per source (default true); false trains the mix only. */
  perSource?: boolean;
  /** Called when a model is done, with what it was trained on. */
  onModel?: (info: { trainedOn: string; done: number; total: number }) => void;
}

export interface DiversityResult {
  sources: string[];
  /** trainedOn ("mix" or a source) -> source -> val loss (nats/token). */
  valLoss: Record<string, Record<string, number>>;
  /** trainedOn -> mean over sources (each source weighs the same). */
  meanValLoss: Record<string, number>;
}

/** Round-robin over the sources' documents, so the mix has every source throughout. */
export function interleave(lists: readonly (readonly string[])[]): string[] {
  const out: string[] = [];
  const longest = Math.max(0, ...lists.map((l) => l.length));
  for (let i = 0; i < longest; i++) for (const l of lists) if (i < l.length) out.push(l[i]);
  return out;
}

export async function diversityExperiment(
  sources: Record<string, SourceSplit>,
  opts: DiversityOptions = {},
): Promise<DiversityResult> {
  const names = Object.keys(sources);
  if (names.length < 2) throw new RangeError(`diversityExperiment: needs at least 2 sources, got ${names.length}`);
  if (names.includes("mix"))
    throw new RangeError(`diversityExperiment: "mix" is the name of the mixed run; rename that source`);
  for (const n of names) {
    if (sources[n].train.length === 0 || sources[n].val.length === 0)
      throw new RangeError(`diversityExperiment: source "${n}" needs train and val documents`);
  }
  const codec = opts.codec ?? charCodecFor(names.flatMap((n) => [...sources[n].train, ...sources[n].val]));
  const runs: [string, readonly string[]][] = [
    ...(opts.perSource === false ? [] : names.map((n): [string, readonly string[]] => [n, sources[n].train])),
    ["mix", interleave(names.map((n) => sources[n].train))],
  ];
  const valLoss: Record<string, Record<string, number>> = {};
  const meanValLoss: Record<string, number> = {};
  for (const [trainedOn, docs] of runs) {
    if (opts.signal?.aborted) break;
    const { model } = await trainOnDocs(docs, { ...opts, codec });
    try {
      const scorer = gptScorer(model, codec, { prefix: DOC_PREFIX });
      valLoss[trainedOn] = Object.fromEntries(names.map((n) => [n, meanLoss(scorer, sources[n].val)]));
      meanValLoss[trainedOn] = names.reduce((s, n) => s + valLoss[trainedOn][n], 0) / names.length;
    } finally {
      model.dispose();
    }
    opts.onModel?.({ trainedOn, done: Object.keys(valLoss).length, total: runs.length });
  }
  return { sources: names, valLoss, meanValLoss };
}
