// Planted leaks: copy some eval examples into the training set on purpose, so a contamination
// detector can be checked (every planted leak must be found) and so a notebook can show how
// training on leaked eval data inflates the score.
import { makeRng, sampleWithoutReplacement } from "./random";

export interface PlantedLeaks {
  train: string[];
  /** Eval indices that were copied into training. */
  planted: number[];
  /** For each planted eval index, the training document it went into. */
  into: Map<number, number>;
}

/**
 * Insert `count` eval examples into random training documents (seeded). The copy is perturbed
 * the way leaks look in the wild (upper-cased first letter, punctuation changed, surrounded by
 * other text), which the normalisation of both detectors must see through.
 */
export function plantLeaks(
  train: readonly string[],
  evalExamples: readonly string[],
  count: number,
  seed: number | string = 0,
): PlantedLeaks {
  if (train.length === 0) throw new RangeError("plantLeaks: training set is empty");
  if (count > evalExamples.length) throw new RangeError(`plantLeaks: count ${count} exceeds ${evalExamples.length} eval examples`);
  const rng = makeRng(seed);
  const out = train.slice();
  const planted = sampleWithoutReplacement([...evalExamples.keys()], count, rng).sort((a, b) => a - b);
  const into = new Map<number, number>();
  for (const e of planted) {
    const d = rng.int(out.length);
    const copy = evalExamples[e].replace(/[.,;:!?]/g, (c) => (c === "." ? "!" : ",")).toUpperCase();
    out[d] = `${out[d]}\n${copy}\n`;
    into.set(e, d);
  }
  return { train: out, planted, into };
}
