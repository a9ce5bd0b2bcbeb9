// A checkpoint of a model as it stands, for tests that need one on disk to load, generate from
// or export: no optimizer moments, step 0, the default training config.
import type { GPT } from "../../src/model";
import { defaultTrainConfig, saveCheckpoint } from "../../src/train";

/** Saves `model` into `dir` as an untrained checkpoint with a character vocabulary of `chars`. */
export function saveCharCheckpoint(dir: string, model: GPT, chars: string[]): void {
  saveCheckpoint(dir, {
    model,
    optimizer: { step: 0, m: {}, v: {} },
    step: 0,
    train: defaultTrainConfig,
    rng: { train: [1, 2, 3, 4] },
    vocab: { kind: "char", chars },
  });
}
