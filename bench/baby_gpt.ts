// The baby-GPT training step shared by bench/train and bench/gpu-check: the course's own model
// (src/model/gpt.ts) taking the step `llmlab train --config baby` takes (src/train's Trainer:
// forward, backward, global-norm clipping at 1.0, AdamW at the scheduled rate), one step per
// call. tests/reference/torch_step.py is PyTorch's same step.
import * as fs from "fs";
import * as path from "path";
import { GPT, gptConfig, mulberry32, trainingFlopsPerToken, type GPTConfig } from "../src/model";
import { createAdamW } from "../src/backend";
import { Trainer, decays, presets } from "../src/train";
import { CharVocab } from "../src/tokenize";

export const BATCH = presets.baby.train.batchSize;

/** nanoGPT's "baby GPT" on Shakespeare's 65 characters: the baby preset's model. */
export const BABY_GPT: GPTConfig = gptConfig({ ...presets.baby.model, vocabSize: 65 });

/**
 * FLOPs of one training step (forward + backward) of the baby GPT at batch BATCH: its matmuls
 * (attention's included), as nanoGPT counts them for MFU (src/model's trainingFlopsPerToken).
 */
export function flopsPerStep(): number {
  return trainingFlopsPerToken(BABY_GPT) * BATCH * BABY_GPT.blockSize;
}

/** Tiny Shakespeare as character ids if it is on disk, else a fixed synthetic stream. */
export function tokens(): { ids: Int32Array; source: string } {
  const root = path.resolve(__dirname, "..", "..");
  for (const p of [
    path.join(root, "..", "shared/datasets/tinyshakespeare/input.txt"),
    "/work/shared/datasets/tinyshakespeare/input.txt",
  ]) {
    if (!fs.existsSync(p)) continue;
    const text = fs.readFileSync(p, "utf8");
    const vocab = CharVocab.fromText(text);
    if (vocab.size !== BABY_GPT.vocabSize) continue;
    return { ids: vocab.encode(text.slice(0, 200_000)), source: p };
  }
  const r = mulberry32(7);
  return { ids: Int32Array.from({ length: 200_000 }, () => Math.floor(r() * BABY_GPT.vocabSize)), source: "synthetic" };
}

export interface Run {
  backend: string;
  detail: string;
  trainer: Trainer;
  losses: number[];
  ms: number[];
  /** CPU time (user + system) of this process per step: what the step cost, whatever else ran. */
  cpuMs: number[];
}

/**
 * A fresh baby GPT (seed 1337) and its Trainer with the baby preset (AdamW lr 1e-3, betas
 * 0.9/0.99, weight decay 0.1, clipping 1.0). It never stops on its own and evaluates only
 * at its first step, which the benchmarks leave out as warm-up. `fusedAdamW: false` runs
 * AdamW as tfjs ops, as tfjs without this backend would.
 */
export function newRun(backend: string, detail: string, data: Int32Array, fusedAdamW = true): Run {
  const model = new GPT(BABY_GPT, { seed: 1337 });
  const train = { ...presets.baby.train, maxIters: 1_000_000_000, evalInterval: 1_000_000_000 };
  const split = Math.floor(data.length * 0.9);
  const trainData = { train: [data.subarray(0, split)], val: [data.subarray(split)] };
  // The Trainer's own AdamW, but for the baseline's unfused variant.
  const optimizer = createAdamW({
    lr: train.lr,
    beta1: train.beta1,
    beta2: train.beta2,
    eps: 1e-8,
    weightDecay: train.weightDecay,
    decay: decays,
    fused: fusedAdamW,
  });
  const trainer = new Trainer({ model, config: train, data: trainData, optimizer });
  return { backend, detail, trainer, losses: [], ms: [], cpuMs: [] };
}

/** One training step (the Trainer's, so the loss is read back, as a trainer's logging does). */
export async function step(r: Run): Promise<void> {
  const t0 = performance.now(),
    c0 = process.cpuUsage();
  const res = await r.trainer.run({ iters: 1 });
  if (res.stopReason !== "done") throw new Error(`baby GPT step: ${res.message}`);
  r.ms.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  r.cpuMs.push((c.user + c.system) / 1000);
  r.losses.push(res.trainLoss);
}

export function disposeRun(r: Run): void {
  r.trainer.optimizer.dispose();
  r.trainer.model.dispose();
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
