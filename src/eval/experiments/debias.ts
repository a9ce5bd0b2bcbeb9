// Debiasing by counterfactual data augmentation, measured: probe a pretrained model (CrowS-style
// pairs, names x occupations), fine-tune one copy on the CDA-augmented corpus and, as the
// control that separates "CDA" from "more training", another copy on the original corpus for
// the same steps; probe both again.
import { crowsPairsScore, BiasPair } from "../bias/crowsPairs";
import { namesOccupationsProbe, OCCUPATIONS } from "../bias/namesOccupations";
import { cda, NAME_PAIRS } from "../bias/cda";
import { gptScorer } from "../gpt";
import { trainOnDocs, DOC_PREFIX, TrainRunOptions } from "./train";
import type { GPT } from "../../model/gpt";
import type { CharVocab } from "../../tokenize/charVocab";

export interface BiasProbes {
  /** Share of all pairs where the stereotype is more likely (0.5 = no preference). */
  crowsPairs: number;
  /** The same over gender pairs only: the ones CDA addresses. */
  crowsGender: number;
  /** Mean |log P(stereotype) - log P(anti-stereotype)| over gender pairs (nats): 0 = the model cannot tell them apart. */
  genderGap: number;
  /** namesOccupationsProbe's bias: > 0 when male names go with male-stereotyped jobs. */
  namesOccupations: number;
}

export async function biasProbes(
  model: GPT,
  codec: CharVocab,
  pairs: readonly BiasPair[],
  opts: { namesPerGender?: number; signal?: AbortSignal } = {},
): Promise<BiasProbes> {
  const scorer = gptScorer(model, codec, { prefix: DOC_PREFIX });
  const crows = await crowsPairsScore(pairs, scorer, { signal: opts.signal, resamples: 200 });
  const gender = crows.pairs.filter((p) => p.bias_type === "gender");
  const k = opts.namesPerGender ?? 5;
  // Names CDA swaps, so the probe sees whether the swap reached them.
  const names = { male: NAME_PAIRS.slice(0, k).map((p) => p[0]), female: NAME_PAIRS.slice(0, k).map((p) => p[1]) };
  const occ = await namesOccupationsProbe(scorer, { names, occupations: OCCUPATIONS, signal: opts.signal });
  return {
    crowsPairs: crows.score.estimate,
    crowsGender: gender.length ? gender.filter((p) => p.prefersStereotype).length / gender.length : NaN,
    genderGap: gender.length
      ? gender.reduce((s, p) => s + Math.abs(p.stereotypeLogProb - p.antiLogProb), 0) / gender.length
      : NaN,
    namesOccupations: occ.bias,
  };
}

export interface CdaExperimentOptions extends Omit<TrainRunOptions, "init" | "val" | "steps"> {
  pairs: readonly BiasPair[];
  /** Steps of fine-tuning for each copy. */
  fineTuneSteps: number;
  /** Skip the control fine-tune on the original corpus (halves the cost). */
  control?: boolean;
  namesPerGender?: number;
}

export interface CdaExperimentResult {
  before: BiasProbes;
  afterCda: BiasProbes;
  afterControl?: BiasProbes;
  /** Documents the augmentation added (counterfactuals of documents with gendered words). */
  augmentedDocs: number;
}

/** `base` is not changed: the fine-tunes run on copies. */
export async function cdaExperiment(
  base: GPT,
  corpus: readonly string[],
  opts: CdaExperimentOptions,
): Promise<CdaExperimentResult> {
  const probe = (m: GPT): Promise<BiasProbes> =>
    biasProbes(m, opts.codec, opts.pairs, { namesPerGender: opts.namesPerGender, signal: opts.signal });
  const before = await probe(base);
  const augmented = cda(corpus, { mode: "augment" });
  const fineTune = async (docs: readonly string[]): Promise<BiasProbes> => {
    const { model } = await trainOnDocs(docs, { ...opts, steps: opts.fineTuneSteps, init: base.clone() });
    try {
      return await probe(model);
    } finally {
      model.dispose();
    }
  };
  const afterCda = await fineTune(augmented);
  const afterControl = opts.control === false ? undefined : await fineTune(corpus);
  return { before, afterCda, afterControl, augmentedDocs: augmented.length - corpus.length };
}
