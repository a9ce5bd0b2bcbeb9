// The baby-GPT training step shared by bench/train and bench/gpu-check: forward, backward,
// global-norm clipping and AdamW, as nanoGPT's step (tests/reference/torch_step.py is PyTorch's).
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs-core";
import { createAdamW } from "../src/backend";
import { BABY_GPT, initGpt, loss, sampleBatch, uniformSampler } from "../src/backend/testing/gpt";
import { clipByGlobalNorm } from "../src/train/clip";

export const BATCH = 12;

/** Tiny Shakespeare as character ids if it is on disk, else a fixed synthetic stream. */
export function tokens(): { ids: Int32Array; source: string } {
  const root = path.resolve(__dirname, "..", "..");
  for (const p of [
    path.join(root, "..", "shared/datasets/tinyshakespeare/input.txt"),
    "/work/shared/datasets/tinyshakespeare/input.txt",
  ]) {
    if (!fs.existsSync(p)) continue;
    const text = fs.readFileSync(p, "utf8");
    const vocab = [...new Set(text)].sort();
    if (vocab.length !== BABY_GPT.vocabSize) continue;
    const index = new Map(vocab.map((c, i) => [c, i]));
    return { ids: Int32Array.from(text.slice(0, 200_000), (c) => index.get(c)!), source: p };
  }
  const r = uniformSampler(7);
  return { ids: Int32Array.from({ length: 200_000 }, () => Math.floor(r() * BABY_GPT.vocabSize)), source: "synthetic" };
}

export interface Run {
  backend: string;
  detail: string;
  params: ReturnType<typeof initGpt>;
  byName: Record<string, tf.Variable>;
  opt: ReturnType<typeof createAdamW>;
  rand: () => number;
  losses: number[];
  ms: number[];
  /** CPU time (user + system) of this process per step: what the step cost, whatever else ran. */
  cpuMs: number[];
}

/**
 * A fresh baby GPT and AdamW (nanoGPT's: lr 1e-3, betas 0.9/0.99, weight decay 0.1).
 * `fused: false` runs AdamW as tfjs ops, as tfjs without this backend would.
 */
export function newRun(backend: string, detail: string, fused = true): Run {
  const params = initGpt(BABY_GPT, 1337, `${backend}/`);
  const byName = Object.fromEntries(Object.values(params).map((v) => [v.name, v]));
  return {
    backend,
    detail,
    params,
    byName,
    rand: uniformSampler(42),
    losses: [],
    ms: [],
    cpuMs: [],
    opt: createAdamW({ lr: 1e-3, beta1: 0.9, beta2: 0.99, weightDecay: 0.1, fused }),
  };
}

export async function step(r: Run, data: Int32Array): Promise<void> {
  const cfg = BABY_GPT;
  const t0 = performance.now(),
    c0 = process.cpuUsage();
  const { x, y } = sampleBatch(data, BATCH, cfg.blockSize, r.rand);
  const { value, grads } = tf.variableGrads(() => loss(r.params, x, y, cfg), Object.values(r.params));
  // Clipping at 1.0 as nanoGPT and our trainer do (its norm is read back, as theirs is).
  const clipped = clipByGlobalNorm(grads, 1.0);
  r.opt.step(clipped.grads, r.byName); // variableGrads keys gradients by variable name
  r.losses.push((await value.data())[0]); // the read waits for the step, as a trainer's logging does
  tf.dispose([value, x, y, ...Object.values(grads), ...Object.values(clipped.grads)]);
  r.ms.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  r.cpuMs.push((c.user + c.system) / 1000);
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
