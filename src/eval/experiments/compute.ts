// The compute side of a training step: how throughput (tokens per second) changes with the
// batch size, and where the time of one step goes: forward, backward and optimizer by timing,
// and by kernel through tf.profile, grouped the way a profiler's summary groups ops.
import * as tf from "@tensorflow/tfjs-core";
import { GPT } from "../../model/gpt";
import type { GPTConfig } from "../../model/config";
import { createAdamW, decays } from "../../train/adamw";
import { lossAndGrads } from "../../train/grads";
import { Rng } from "../../model/rng";
import { TINY_MODEL } from "./train";
import { device, initBackend } from "../../backend";

export interface StepTiming {
  batchSize: number;
  tokensPerStep: number;
  /** Milliseconds per step, median over the timed steps: forward (loss only), backward (gradients minus forward), optimizer. */
  forwardMs: number;
  backwardMs: number;
  optimizerMs: number;
  stepMs: number;
  tokensPerSec: number;
  /** Process CPU time per step (user + system, all threads): steadier than wall time on a shared machine. */
  cpuMsPerStep: number;
}

export interface ComputeOptions {
  model?: Partial<Omit<GPTConfig, "vocabSize">>;
  vocabSize?: number;
  /** Timed (or profiled) steps per batch size, after one untimed warm-up step. Default 3. */
  steps?: number;
  seed?: number;
  signal?: AbortSignal;
  onProgress?: (info: { batchSize: number; done: number; total: number }) => void;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Setup {
  model: GPT;
  step(): { forward: number; backward: number; optimizer: number; cpu: number };
  dispose(): void;
}

/** A model, an AdamW and a fixed random batch; step() times one training step's three phases. */
function setup(batchSize: number, opts: ComputeOptions): Setup {
  const V = opts.vocabSize ?? 96;
  const model = new GPT({ ...TINY_MODEL, ...opts.model, vocabSize: V }, { seed: opts.seed ?? 0 });
  const T = model.config.blockSize;
  const rng = new Rng(opts.seed ?? 0);
  const ids = (): Int32Array => Int32Array.from({ length: batchSize * T }, () => rng.int(V));
  const x = tf.tensor2d(ids(), [batchSize, T], "int32");
  const y = tf.tensor2d(ids(), [batchSize, T], "int32");
  const opt = createAdamW({ lr: 1e-3, weightDecay: 0.1, decay: decays });
  return {
    model,
    step() {
      const c0 = process.cpuUsage();
      // dataSync() makes each phase finish before its clock stops (backends may run async).
      let t = performance.now();
      tf.tidy(() => model.loss(x, y).dataSync());
      const forward = performance.now() - t;
      t = performance.now();
      const { grads: named } = lossAndGrads(() => model.loss(x, y), model.params);
      Object.values(named).forEach((g) => g.dataSync());
      const fwdBwd = performance.now() - t;
      t = performance.now();
      opt.step(named, model.params, 1e-3);
      model.params["wte"].dataSync();
      const optimizer = performance.now() - t;
      tf.dispose(Object.values(named));
      const c = process.cpuUsage(c0);
      return { forward, backward: Math.max(0, fwdBwd - forward), optimizer, cpu: (c.user + c.system) / 1000 };
    },
    dispose() {
      tf.dispose([x, y]);
      opt.dispose();
      model.dispose();
    },
  };
}

/** Step timings for each batch size (same model, fresh weights each time). */
export async function throughputByBatchSize(
  batchSizes: readonly number[],
  opts: ComputeOptions = {},
): Promise<StepTiming[]> {
  const steps = opts.steps ?? 3;
  if (!Number.isInteger(steps) || steps < 1)
    throw new RangeError(`throughputByBatchSize: steps must be a positive integer, got ${steps}`);
  const out: StepTiming[] = [];
  for (const B of batchSizes) {
    if (!Number.isInteger(B) || B < 1)
      throw new RangeError(`throughputByBatchSize: batch sizes must be positive integers, got ${B}`);
    if (opts.signal?.aborted) break;
    const s = setup(B, opts);
    try {
      s.step(); // warm-up: first-call costs (kernel setup, allocation) are not the steady state
      const runs: ReturnType<Setup["step"]>[] = [];
      for (let i = 0; i < steps; i++) {
        await new Promise((r) => setImmediate(r));
        if (opts.signal?.aborted) break;
        runs.push(s.step());
        opts.onProgress?.({ batchSize: B, done: i + 1, total: steps });
      }
      if (runs.length === 0) break;
      const tokensPerStep = B * s.model.config.blockSize;
      const [forwardMs, backwardMs, optimizerMs] = (["forward", "backward", "optimizer"] as const).map((k) =>
        median(runs.map((r) => r[k])),
      );
      const stepMs = median(runs.map((r) => r.forward + r.backward + r.optimizer));
      out.push({
        batchSize: B,
        tokensPerStep,
        forwardMs,
        backwardMs,
        optimizerMs,
        stepMs,
        tokensPerSec: tokensPerStep / (stepMs / 1000),
        cpuMsPerStep: median(runs.map((r) => r.cpu)),
      });
    } finally {
      s.dispose();
    }
  }
  return out;
}

/** Kernel name -> op group, the groups a profile summary reports. */
export function opGroup(kernel: string): string {
  if (/MatMul|Conv/i.test(kernel)) return "matmul";
  if (/Softmax/i.test(kernel)) return "softmax";
  if (/^(Sum|Mean|Max|Min|Prod|All|Any|ArgMax|ArgMin)$/.test(kernel)) return "reduction";
  if (/Gather|UnsortedSegmentSum|OneHot|ScatterNd/.test(kernel)) return "embedding (gather/scatter)";
  if (
    /Transpose|Reshape|Slice|Split|Concat|Pack|Unpack|Tile|Pad|Cast|Identity|Fill|ZerosLike|OnesLike|BroadcastTo/.test(
      kernel,
    )
  )
    return "data movement";
  return "elementwise";
}

export interface StepProfile {
  batchSize: number;
  /** Op group -> milliseconds of kernel time in one training step (forward, backward and AdamW). */
  groups: Record<string, number>;
  /** The kernels that took longest, summed by name. */
  topKernels: { name: string; ms: number; calls: number }[];
  kernelCalls: number;
  totalKernelMs: number;
}

/**
 * tf.profile of `steps` training steps (default 3) after a warm-up step; each kernel's time is
 * its median over the profiled steps, since one step's timing on a shared machine can be off
 * by an order of magnitude for a kernel that happened to be preempted.
 */
export async function profileStep(batchSize: number, opts: ComputeOptions = {}): Promise<StepProfile> {
  const steps = opts.steps ?? 3;
  if (!Number.isInteger(steps) || steps < 1)
    throw new RangeError(`profileStep: steps must be a positive integer, got ${steps}`);
  const s = setup(batchSize, opts);
  try {
    s.step();
    const perStep: Map<string, { ms: number; calls: number }>[] = [];
    for (let r = 0; r < steps; r++) {
      const info = await tf.profile(() => {
        s.step();
        return [];
      });
      const byName = new Map<string, { ms: number; calls: number }>();
      for (const k of info.kernels) {
        const t = await k.kernelTimeMs;
        const e = byName.get(k.name) ?? { ms: 0, calls: 0 };
        e.ms += typeof t === "number" ? t : 0; // {error}: a backend without timers
        e.calls++;
        byName.set(k.name, e);
      }
      perStep.push(byName);
    }
    const groups: Record<string, number> = {};
    let total = 0;
    const kernels = [...perStep[0]].map(([name, e]) => {
      const ms = median(perStep.map((m) => m.get(name)?.ms ?? 0));
      groups[opGroup(name)] = (groups[opGroup(name)] ?? 0) + ms;
      total += ms;
      return { name, ms, calls: e.calls };
    });
    const topKernels = kernels.sort((a, b) => b.ms - a.ms).slice(0, 10);
    const kernelCalls = kernels.reduce((n, k) => n + k.calls, 0);
    return { batchSize, groups, topKernels, kernelCalls, totalKernelMs: total };
  } finally {
    s.dispose();
  }
}

export interface BackendTiming extends StepTiming {
  backend: string;
  /** Why the backend was not measured (it failed to load here), else undefined. */
  unavailable?: string;
}

/**
 * The same training step on each named backend (initBackend's names: "cpu", "wasm", "webgpu",
 * "node", "node-gpu"), then the backend in use before is restored. A backend that cannot load
 * on this machine is reported with the reason rather than failing the comparison.
 */
export async function backendComparison(
  backends: readonly string[],
  batchSize: number,
  opts: ComputeOptions = {},
): Promise<BackendTiming[]> {
  const before = device().name;
  const out: BackendTiming[] = [];
  try {
    for (const name of backends) {
      if (opts.signal?.aborted) break;
      try {
        await initBackend({ prefer: name });
      } catch (e) {
        out.push({
          backend: name,
          unavailable: (e as Error).message,
          batchSize,
          tokensPerStep: 0,
          forwardMs: NaN,
          backwardMs: NaN,
          optimizerMs: NaN,
          stepMs: NaN,
          tokensPerSec: NaN,
          cpuMsPerStep: NaN,
        });
        continue;
      }
      const [t] = await throughputByBatchSize([batchSize], opts);
      out.push({ backend: name, ...t });
    }
  } finally {
    if (before !== "none" && device().name !== before) await initBackend({ prefer: before });
  }
  return out;
}
