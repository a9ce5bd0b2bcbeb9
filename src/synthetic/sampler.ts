// Model-sampling generation behind an interface, so this step does not depend on the model
// code: anything with `sample(prompt, settings) => string` will do (the course's GPT, a stub
// in tests). The settings are recorded in every example's provenance; a per-sample seed is
// derived from the base seed so the run can be reproduced sample by sample.
import type { SamplingSettings, SyntheticExample } from "./provenance";

export interface Sampler {
  /** Names the model in provenance (e.g. a checkpoint path and step). */
  readonly name: string;
  sample(prompt: string, settings: SamplingSettings): string | Promise<string>;
}

export interface ModelGenerationOptions {
  sampling?: SamplingSettings;
  samplesPerPrompt?: number;
  signal?: AbortSignal;
  onProgress?(info: { done: number; total: number }): void;
}

/** Samples for each prompt; on abort, returns what was generated so far. */
export async function generateFromModel(
  sampler: Sampler,
  prompts: readonly string[],
  opts: ModelGenerationOptions = {},
): Promise<SyntheticExample[]> {
  const base = { temperature: 1, maxTokens: 128, seed: 0, ...opts.sampling };
  const k = opts.samplesPerPrompt ?? 1;
  if (!Number.isInteger(k) || k < 1)
    throw new RangeError(`generateFromModel: samplesPerPrompt must be a positive integer, got ${k}`);
  const total = prompts.length * k;
  const out: SyntheticExample[] = [];
  for (let p = 0; p < prompts.length; p++) {
    for (let j = 0; j < k; j++) {
      if (opts.signal?.aborted) return out;
      const sampling: SamplingSettings = { ...base, seed: (base.seed ?? 0) + out.length };
      const completion = await sampler.sample(prompts[p], sampling);
      if (typeof completion !== "string")
        throw new TypeError(
          `generateFromModel: sampler "${sampler.name}" returned ${typeof completion}, expected a string`,
        );
      out.push({
        id: `model-${p}-${j}`,
        text: prompts[p] + completion,
        provenance: {
          source: "synthetic",
          method: "model",
          generator: "llm.synthetic.generateFromModel",
          model: sampler.name,
          prompt: prompts[p],
          sampling,
        },
      });
      opts.onProgress?.({ done: out.length, total });
    }
  }
  return out;
}
