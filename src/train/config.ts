// Training hyperparameters (nanoGPT's train.py globals) and the named presets.
import * as fs from "fs";
import { GPTConfig, defaultGPTConfig } from "../model/config";

export interface TrainConfig {
  batchSize: number;
  maxIters: number;
  lr: number;
  minLr: number;
  warmupIters: number;
  lrDecayIters: number;
  decayLr: boolean;
  beta1: number;
  beta2: number;
  weightDecay: number;
  gradClip: number; // 0: no clipping
  gradAccum: number; // micro-batches per optimizer step
  evalInterval: number;
  evalIters: number; // batches per split in each evaluation
  seed: number;
}

/** A whole run: the model (its vocabSize comes from the data) and how to train it. */
export interface RunConfig {
  name: string;
  model: Partial<Omit<GPTConfig, "vocabSize">>;
  train: TrainConfig;
}

export const defaultTrainConfig: TrainConfig = {
  batchSize: 12,
  maxIters: 2000,
  lr: 6e-4,
  minLr: 6e-5,
  warmupIters: 100,
  lrDecayIters: 2000,
  decayLr: true,
  beta1: 0.9,
  beta2: 0.95,
  weightDecay: 0.1,
  gradClip: 1.0,
  gradAccum: 1,
  evalInterval: 250,
  evalIters: 20,
  seed: 1337,
};

/** What a preset states; the rest is the baby model and the schedule below. */
type PresetTrain = Pick<
  TrainConfig,
  "batchSize" | "maxIters" | "lr" | "minLr" | "warmupIters" | "evalInterval" | "evalIters"
>;

/**
 * A preset over the baby model (defaultGPTConfig, nanoGPT's baby GPT) and the default training
 * config, with nanoGPT's small-run schedule: the cosine decays over the whole run
 * (lr_decay_iters = max_iters) and beta2 is 0.99 (train_shakespeare_char.py: "make a bit bigger
 * because number of tokens per iter is small").
 */
function preset(name: string, model: Partial<Omit<GPTConfig, "vocabSize">>, train: PresetTrain): RunConfig {
  return {
    name,
    model: { ...defaultGPTConfig, ...model },
    train: { ...defaultTrainConfig, beta2: 0.99, lrDecayIters: train.maxIters, ...train },
  };
}

export const presets: Record<string, RunConfig> = {
  // nanoGPT's README "baby GPT" for CPUs: config/train_shakespeare_char.py with
  // --block_size=64 --batch_size=12 --n_layer=4 --n_head=4 --n_embd=128 --max_iters=2000
  // --lr_decay_iters=2000 --dropout=0.0 --eval_iters=20 (nanoGPT reports val loss 1.88).
  baby: preset(
    "baby",
    {},
    { batchSize: 12, maxIters: 2000, lr: 1e-3, minLr: 1e-4, warmupIters: 100, evalInterval: 250, evalIters: 20 },
  ),
  // Notebook 05's CI size: twice the tiny model's width and context, 16 windows a step. Measured
  // here (SOTU 1990-2021, 400 steps): val loss 2.32 nats/char, where the tiny preset after 600
  // steps at its best rate (1e-2, batch 16) was still at 2.72, near the unigram level.
  small: preset(
    "small",
    { nLayer: 2, nEmbd: 64 },
    { batchSize: 16, maxIters: 400, lr: 5e-3, minLr: 5e-4, warmupIters: 40, evalInterval: 100, evalIters: 5 },
  ),
  // CI-size: trains in about a minute on two cores, for the notebooks and quick checks.
  tiny: preset(
    "tiny",
    { blockSize: 32, nLayer: 2, nHead: 2, nEmbd: 32 },
    { batchSize: 8, maxIters: 200, lr: 3e-3, minLr: 3e-4, warmupIters: 20, evalInterval: 50, evalIters: 5 },
  ),
};

/** Checks a TrainConfig, naming the first bad field. */
export function checkTrainConfig(c: TrainConfig): TrainConfig {
  const posInt = ["batchSize", "gradAccum", "evalIters", "evalInterval"] as const;
  for (const k of posInt)
    if (!Number.isInteger(c[k]) || c[k] < 1)
      throw new Error(`train config: ${k} must be a positive integer, got ${JSON.stringify(c[k])}`);
  for (const k of ["maxIters", "warmupIters", "lrDecayIters", "seed"] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 0)
      throw new Error(`train config: ${k} must be a non-negative integer, got ${JSON.stringify(c[k])}`);
  }
  for (const k of ["lr", "minLr", "weightDecay", "gradClip"] as const) {
    if (typeof c[k] !== "number" || !(c[k] >= 0) || !Number.isFinite(c[k]))
      throw new Error(`train config: ${k} must be a finite number >= 0, got ${JSON.stringify(c[k])}`);
  }
  for (const k of ["beta1", "beta2"] as const)
    if (!(c[k] >= 0 && c[k] < 1)) throw new Error(`train config: ${k} must be in [0, 1), got ${JSON.stringify(c[k])}`);
  if (typeof c.decayLr !== "boolean") throw new Error(`train config: decayLr must be a boolean`);
  return c;
}

/**
 * A preset name or a JSON file {"name"?, "model": {...}, "train": {...}} (fields missing
 * from a file fall back to the baby preset's model and the defaults above).
 */
export function loadRunConfig(nameOrFile: string): RunConfig {
  if (presets[nameOrFile]) return structuredClone(presets[nameOrFile]);
  if (!fs.existsSync(nameOrFile)) {
    throw new Error(`--config: "${nameOrFile}" is neither a preset (${Object.keys(presets).join(", ")}) nor a file`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(nameOrFile, "utf8"));
  } catch (e) {
    throw new Error(`--config: ${nameOrFile} is not valid JSON (${(e as Error).message})`);
  }
  const r = raw as Partial<RunConfig>;
  if (typeof r !== "object" || r === null || Array.isArray(r))
    throw new Error(`--config: ${nameOrFile} must hold a JSON object`);
  const known = new Set(["name", "model", "train"]);
  for (const k of Object.keys(r))
    if (!known.has(k)) throw new Error(`--config: ${nameOrFile} has unknown key "${k}" (expected name, model, train)`);
  const trainKeys = new Set(Object.keys(defaultTrainConfig));
  for (const k of Object.keys(r.train ?? {}))
    if (!trainKeys.has(k)) throw new Error(`--config: ${nameOrFile} has unknown train key "${k}"`);
  return {
    name: r.name ?? nameOrFile,
    model: { ...presets.baby.model, ...(r.model ?? {}) },
    train: checkTrainConfig({ ...defaultTrainConfig, ...(r.train ?? {}) }),
  };
}
