// The bridge from a GPT-2-named tfjs model (src/model's GPT) to the model-independent
// quantisers: its linear layers as a QuantTarget, its logits as a LogitsFn, and snapshots
// of its weights to switch between fp32 and quantised variants. Typed structurally so that
// src/quant does not depend on src/model; the model must call `capture` in its forward
// pass with each linear layer's input (see ForwardCapture).
import * as tf from "@tensorflow/tfjs-core";
import { Matrix, matrix } from "./matrix";
import { LogitsFn } from "./perplexity";
import { mulberry32 } from "../model/rng";
import { QuantTarget } from "./sequential";
import { captureTarget, gpt2Steps, tfLinear } from "./tf-target";

/** forward(idx, {capture}) must call capture(weightName, input [B*T, in]) before each linear layer. */
export type ForwardCapture = { capture?: (name: string, input: tf.Tensor2D) => void };

export interface CapturingGPT {
  config: { nLayer: number; vocabSize: number; blockSize: number };
  params: Record<string, tf.Variable>;
  forward(idx: tf.Tensor2D, opts?: ForwardCapture): tf.Tensor3D;
}

export interface GPTTargetOptions {
  /** Calibration sequences, each of at most blockSize tokens (the reference: 128 x 2048). */
  calibration: number[][];
  /** Quantise qkv, attention out, MLP up, MLP down one after another (default true). */
  trueSequential?: boolean;
  /** Sequences per forward pass (memory vs speed; default 8). */
  batchSize?: number;
}

/** The GPT's transformer-block linear layers as a QuantTarget (embeddings and lm_head stay fp32, as in GPTQ). */
export function gptQuantTarget(model: CapturingGPT, opts: GPTTargetOptions): QuantTarget {
  const { calibration } = opts;
  if (calibration.length === 0) throw new Error("gptQuantTarget: calibration needs at least one sequence");
  const T = calibration[0].length;
  if (calibration.some((s) => s.length !== T) || T > model.config.blockSize) {
    throw new Error(
      `gptQuantTarget: calibration sequences must all have the same length <= blockSize ${model.config.blockSize}`,
    );
  }
  const steps = gpt2Steps(model.config.nLayer, opts.trueSequential ?? true).map((names) =>
    names.map((n) => {
      const v = model.params[n];
      if (!v) throw new Error(`gptQuantTarget: the model has no parameter ${n}`);
      return tfLinear(n, v, "in_out");
    }),
  );
  const B = opts.batchSize ?? 8;
  const target = captureTarget(steps, (capture, signal) => {
    for (let i = 0; i < calibration.length && !signal?.aborted; i += B) {
      const batch = calibration.slice(i, i + B);
      tf.tidy(() => {
        const idx = tf.tensor2d(batch, [batch.length, T], "int32");
        model.forward(idx, { capture: (name, input) => capture(name, input, batch.length) });
      });
    }
  });
  // A forward pass without the capture hook would leave every layer without inputs.
  const calibrate = target.calibrate;
  target.calibrate = async (names, observe, o) => {
    const seen = new Set<string>();
    await calibrate(names, (n, x, s) => (seen.add(n), observe(n, x, s)), o);
    const missing = names.filter((n) => !seen.has(n));
    if (missing.length && !o?.signal?.aborted) {
      throw new Error(
        `gptQuantTarget: forward() never captured ${missing.join(", ")}; the model's forward must call opts.capture(name, input) before each linear layer`,
      );
    }
  };
  return target;
}

/** tokens -> logits [T, vocab] for perplexity(). */
export function gptLogits(model: CapturingGPT): LogitsFn {
  return (tokens) =>
    tf.tidy(() => model.forward(tf.tensor2d([tokens], [1, tokens.length], "int32")).dataSync() as Float32Array);
}

/** A copy of every parameter's values, to restore the fp32 model after quantising it. */
export function snapshotParams(model: Pick<CapturingGPT, "params">): Map<string, Float32Array> {
  return new Map(Object.entries(model.params).map(([k, v]) => [k, (v.dataSync() as Float32Array).slice()]));
}

export function restoreSnapshot(model: Pick<CapturingGPT, "params">, snap: Map<string, Float32Array>): void {
  for (const [k, data] of snap) {
    const v = model.params[k];
    if (!v) throw new Error(`restoreSnapshot: the model has no parameter ${k}`);
    tf.tidy(() => v.assign(tf.tensor(data, v.shape)));
  }
}

/** One linear layer's weight as W [out, in] (a copy). */
export function layerWeight(model: Pick<CapturingGPT, "params">, name: string): Matrix {
  const v = model.params[name];
  if (!v) throw new Error(`layerWeight: the model has no parameter ${name}`);
  const l = tfLinear(name, v, "in_out");
  return matrix(l.rows, l.cols, l.getWeight());
}

/** The inputs one linear layer sees on the calibration set, as rows [tokens, in]. */
export async function captureLayerInputs(model: CapturingGPT, calibration: number[][], name: string): Promise<Matrix> {
  const parts: Matrix[] = [];
  await gptQuantTarget(model, { calibration }).calibrate([name], (_n, x) => parts.push(x));
  const cols = parts[0].cols;
  const out = matrix(
    parts.reduce((a, p) => a + p.rows, 0),
    cols,
  );
  let o = 0;
  for (const p of parts) {
    out.data.set(p.data, o);
    o += p.data.length;
  }
  return out;
}

/** n windows of T tokens at seeded random offsets (calibration data, as GPTQ samples it). */
export function randomWindows(tokens: ArrayLike<number>, n: number, T: number, seed = 0): number[][] {
  if (tokens.length <= T) throw new Error(`randomWindows: need more than ${T} tokens, got ${tokens.length}`);
  const r = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const o = Math.floor(r() * (tokens.length - T));
    return Array.from({ length: T }, (_, i) => tokens[o + i]);
  });
}
