// Planted leaks: copy some eval examples into the training set on purpose, so a contamination
// detector can be checked (every planted leak must be found) and so a notebook can show how
// training on leaked eval data inflates the score.
import { aleaRng, sampleWithoutReplacement } from "../model/rng";

export interface PlantedLeaks {
  train: string[];
  /** Eval indices that were copied into training. */
  planted: number[];
  /** For each planted eval index, the training document it went into. */
  into: Map<number, number>;
}

/**
 * Insert `count` eval examples into random training documents (seeded). By default the copy is
 * perturbed the way leaks look in the wild (case and punctuation changed, surrounded by other
 * text): the 13-gram normalisation sees through that, the case-sensitive 50-character check
 * of the GPT-4 report does not (pass `lowercase: true` to it, or `perturb: false` here).
 */
export function plantLeaks(
  train: readonly string[],
  evalExamples: readonly string[],
  count: number,
  opts: { seed?: number | string; perturb?: boolean } = {},
): PlantedLeaks {
  if (train.length === 0) throw new RangeError("plantLeaks: training set is empty");
  if (!Number.isInteger(count) || count < 0 || count > evalExamples.length) {
    throw new RangeError(
      `plantLeaks: count must be an integer in [0, ${evalExamples.length}] (the eval examples), got ${count}`,
    );
  }
  const rng = aleaRng(opts.seed ?? 0);
  const out = train.slice();
  const planted = sampleWithoutReplacement([...evalExamples.keys()], count, rng).sort((a, b) => a - b);
  const into = new Map<number, number>();
  for (const e of planted) {
    const d = rng.int(out.length);
    const copy =
      (opts.perturb ?? true)
        ? evalExamples[e].replace(/[.,;:!?]/g, (c) => (c === "." ? "!" : ",")).toUpperCase()
        : evalExamples[e];
    out[d] = `${out[d]}\n${copy}\n`;
    into.set(e, d);
  }
  return { train: out, planted, into };
}

export interface CleanVsDirty {
  all: number;
  clean: number;
  dirty: number;
  /** (clean - all) / all: GPT-3's measure of how much contamination moved the score. */
  relativeChange: number;
  nClean: number;
  nDirty: number;
}

/**
 * A per-example score (accuracy, log-likelihood, ...) averaged over all examples, the clean
 * subset and the dirty one (Brown et al. 2020, app. C, compare full and clean benchmarks).
 */
export function cleanVsDirty(
  report: { flags: readonly { dirty: boolean }[] },
  scores: readonly number[],
): CleanVsDirty {
  if (scores.length !== report.flags.length)
    throw new RangeError(`cleanVsDirty: ${scores.length} scores for ${report.flags.length} flagged examples`);
  const avg = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  const clean = scores.filter((_, i) => !report.flags[i].dirty);
  const dirty = scores.filter((_, i) => report.flags[i].dirty);
  const all = avg([...scores]);
  return {
    all,
    clean: avg(clean),
    dirty: avg(dirty),
    relativeChange: (avg(clean) - all) / all,
    nClean: clean.length,
    nDirty: dirty.length,
  };
}
