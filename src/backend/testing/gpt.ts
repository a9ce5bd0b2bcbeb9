// A self-contained GPT (Radford et al. 2019, nanoGPT's layout) for the backend's tests and
// benchmark only: src/model is the course's model; this one exists so that the backend
// can be checked and timed on exactly the kernels a GPT training step uses (embedding
// gathers, causal attention, layer norm, GELU, tied softmax head) without depending on it.
// nanoGPT's baby config has no biases (bias=False) and exact GELU; so has this one. The
// elementwise parts go through ./fused: fused kernels on the fast wasm backend, tfjs ops
// elsewhere, so comparing backends compares the two.
import * as tf from "@tensorflow/tfjs-core";
import { causalSoftmax, gelu, layerNorm, softmaxCrossEntropy } from "../fused";
import { gaussian, mulberry32 } from "../../model/rng";

export interface GptConfig {
  vocabSize: number;
  blockSize: number;
  nLayer: number;
  nHead: number;
  nEmbd: number;
}

/** nanoGPT's "baby GPT" for Shakespeare characters (config/train_shakespeare_char.py). */
export const BABY_GPT: GptConfig = { vocabSize: 65, blockSize: 64, nLayer: 4, nHead: 4, nEmbd: 128 };

/** mulberry32: a seeded uniform [0, 1) sampler, identical on every backend. */
export const uniformSampler = mulberry32;

/** Box-Muller on mulberry32: a seeded standard normal sampler. */
export function normalSampler(seed: number): () => number {
  return gaussian(uniformSampler(seed));
}

export type Params = Record<string, tf.Variable>;

/** GPT-2 init: N(0, 0.02), residual projections scaled by 1/sqrt(2 nLayer), gains 1. */
/** `scope` prefixes the tfjs variable names, which must be unique, so several copies can coexist. */
export function initGpt(cfg: GptConfig, seed = 1337, scope = ""): Params {
  const rand = normalSampler(seed);
  const C = cfg.nEmbd;
  const p: Params = {};
  const normal = (name: string, shape: number[], std = 0.02) => {
    const n = shape.reduce((a, b) => a * b, 1);
    p[name] = tf.variable(
      tf.tensor(
        Float32Array.from({ length: n }, () => rand() * std),
        shape,
      ),
      true,
      scope + name,
    );
  };
  const constant = (name: string, shape: number[], v: number) => {
    p[name] = tf.variable(tf.fill(shape, v), true, scope + name);
  };
  normal("wte", [cfg.vocabSize, C]);
  normal("wpe", [cfg.blockSize, C]);
  const projStd = 0.02 / Math.sqrt(2 * cfg.nLayer);
  for (let l = 0; l < cfg.nLayer; l++) {
    constant(`h${l}.ln1.g`, [C], 1);
    normal(`h${l}.attn.w`, [C, 3 * C]);
    normal(`h${l}.proj.w`, [C, C], projStd);
    constant(`h${l}.ln2.g`, [C], 1);
    normal(`h${l}.fc.w`, [C, 4 * C]);
    normal(`h${l}.fcproj.w`, [4 * C, C], projStd);
  }
  constant("lnf.g", [C], 1);
  return p;
}

function dense(x: tf.Tensor2D, w: tf.Tensor): tf.Tensor2D {
  return tf.matMul(x, w as tf.Tensor2D);
}

/** Causal self-attention on x [B*T, C]; the mask adds -1e9 above the diagonal. */
function attention(x: tf.Tensor2D, p: Params, l: number, cfg: GptConfig, B: number, T: number): tf.Tensor2D {
  const C = cfg.nEmbd,
    H = cfg.nHead,
    D = C / H;
  const heads = (t: tf.Tensor) => tf.transpose(tf.reshape(t, [B, T, H, D]), [0, 2, 1, 3]);
  const [q, k, v] = tf.split(dense(x, p[`h${l}.attn.w`]), 3, 1).map(heads);
  const att = causalSoftmax(tf.matMul(q, k, false, true), 1 / Math.sqrt(D));
  const y = tf.reshape(tf.transpose(tf.matMul(att, v), [0, 2, 1, 3]), [B * T, C]) as tf.Tensor2D;
  return dense(y, p[`h${l}.proj.w`]);
}

/** Logits [B*T, vocab] for token ids idx [B, T]. */
export function forward(p: Params, idx: tf.Tensor2D, cfg: GptConfig): tf.Tensor2D {
  const [B, T] = idx.shape;
  if (T > cfg.blockSize) throw new Error(`forward: sequence length ${T} exceeds blockSize ${cfg.blockSize}`);
  const tok = tf.reshape(tf.gather(p.wte, tf.reshape(idx, [B * T])), [B, T, cfg.nEmbd]);
  const pos = tf.gather(p.wpe, tf.range(0, T, 1, "int32")); // [T, C], broadcast over the batch
  let x = tf.reshape(tf.add(tok, pos), [B * T, cfg.nEmbd]) as tf.Tensor2D;
  for (let l = 0; l < cfg.nLayer; l++) {
    x = tf.add(x, attention(layerNorm(x, p[`h${l}.ln1.g`] as tf.Tensor1D), p, l, cfg, B, T));
    const h = gelu(dense(layerNorm(x, p[`h${l}.ln2.g`] as tf.Tensor1D), p[`h${l}.fc.w`]));
    x = tf.add(x, dense(h, p[`h${l}.fcproj.w`]));
  }
  x = layerNorm(x, p["lnf.g"] as tf.Tensor1D);
  return tf.matMul(x, p.wte as tf.Tensor2D, false, true); // weight tying, as GPT-2
}

/** Mean softmax cross-entropy of next-token targets [B, T]. */
export function loss(p: Params, idx: tf.Tensor2D, targets: tf.Tensor2D, cfg: GptConfig): tf.Scalar {
  return tf.mean(softmaxCrossEntropy(forward(p, idx, cfg), tf.reshape(targets, [-1]) as tf.Tensor1D));
}

/** Matmul FLOPs of one training step (forward + backward = 3x forward), attention included. */
export function matmulFlopsPerStep(cfg: GptConfig, batch: number, T = cfg.blockSize): number {
  const N = batch * T,
    C = cfg.nEmbd;
  const perLayer = 2 * N * C * 3 * C + 2 * 2 * batch * T * T * C + 2 * N * C * C + 2 * 2 * N * C * 4 * C;
  return 3 * (cfg.nLayer * perLayer + 2 * N * C * cfg.vocabSize);
}

/** A batch of (input, next-token target) windows from a token stream, by a seeded sampler. */
export function sampleBatch(
  tokens: Int32Array,
  batch: number,
  T: number,
  rand: () => number,
): { x: tf.Tensor2D; y: tf.Tensor2D } {
  if (tokens.length < T + 2) throw new Error(`sampleBatch: need at least ${T + 2} tokens, got ${tokens.length}`);
  const x = new Int32Array(batch * T),
    y = new Int32Array(batch * T);
  for (let b = 0; b < batch; b++) {
    const s = Math.floor(rand() * (tokens.length - T - 1));
    x.set(tokens.subarray(s, s + T), b * T);
    y.set(tokens.subarray(s + 1, s + T + 1), b * T);
  }
  return { x: tf.tensor2d(x, [batch, T], "int32"), y: tf.tensor2d(y, [batch, T], "int32") };
}
