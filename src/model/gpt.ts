// The GPT decoder (Radford et al. 2018/2019) in the shape of nanoGPT's model.py:
// token (+ position) embedding -> nLayer pre-LayerNorm blocks -> final LayerNorm -> logits.
// Parameters are named as in GPT-2 checkpoints so that they read the same in a safetensors file.
import * as tf from "@tensorflow/tfjs-core";
// tfjs-core's CommonJS bundle leaves out the gradient functions (its register_all_gradients
// is ES-module only); tfjs-layers' bundle registers all of them into the shared registry.
import "@tensorflow/tfjs-layers";
import { GPTConfig, gptConfig } from "./config";
import { Rng } from "./rng";
import { crossEntropy, dropout, gelu, layerNorm, project, Dropout, LinearParams, NormParams } from "./layers";
import { causalSelfAttention, AttentionParams, KV } from "./attention";
import { sinusoidalTable, ropeTables } from "./positional";
import { fusedBlock, fusedBlockAvailable } from "../backend";

/** Every parameter by its GPT-2 checkpoint name ("h.0.attn.c_attn.weight"). */
export type Params = Record<string, tf.Variable>;

export interface MlpParams {
  c_fc: LinearParams; // [C, 4C]
  c_proj: LinearParams; // [4C, C]
}

/** One transformer block's parameters, as nanoGPT's Block holds them. */
export interface BlockParams {
  ln_1: NormParams;
  attn: AttentionParams;
  ln_2: NormParams;
  mlp: MlpParams;
}

/** The whole model's parameters, typed and nested as nanoGPT's `transformer` module. */
export interface GPTWeights {
  wte: tf.Tensor2D; // [V, C]
  wpe?: tf.Tensor2D; // [blockSize, C], learned positions only
  h: BlockParams[];
  ln_f: NormParams;
  lm_head?: tf.Tensor2D; // [C, V], untied weights only
}

export interface ForwardOptions {
  /** Turns dropout on; needs dropoutSeed so the masks are reproducible. */
  training?: boolean;
  dropoutSeed?: number;
  /** Keys/values of earlier positions, one per layer (KV cache). */
  past?: KV[];
  /** Filled with each layer's keys/values for every position so far. */
  presents?: KV[];
  /** Filled with each layer's attention probabilities [B, H, T, Tpast + T]. */
  attention?: tf.Tensor4D[];
  /** Called with each linear layer's input [B*T, in], by weight name (quantisation calibration). */
  capture?: (name: string, input: tf.Tensor2D) => void;
}

/** What one forward pass threads through its blocks besides x: the seams around the math. */
interface Pass {
  B: number;
  T: number;
  nHead: number;
  dropout: Dropout;
  /** The dropout rate of this pass (0 when not training). */
  dropoutRate: number;
  rope?: { cos: tf.Tensor2D; sin: tf.Tensor2D };
  opts: ForwardOptions;
}

export class GPT {
  readonly config: GPTConfig;
  readonly params: Params;
  private readonly sinusoids?: tf.Tensor2D;
  private readonly rope?: { cos: tf.Tensor2D; sin: tf.Tensor2D };

  constructor(config: Partial<GPTConfig> & { vocabSize: number }, opts: { seed?: number } = {}) {
    this.config = gptConfig(config);
    this.params = initParams(this.config, new Rng(opts.seed ?? 1337));
    const { blockSize: T, nEmbd: C, nHead: H } = this.config;
    if (this.config.positional === "sinusoidal") this.sinusoids = tf.tensor2d(sinusoidalTable(T, C), [T, C]);
    if (this.config.positional === "rope") {
      const { cos, sin } = ropeTables(T, C / H);
      this.rope = { cos: tf.tensor2d(cos, [T, C / H]), sin: tf.tensor2d(sin, [T, C / H]) };
    }
  }

  /** idx [B, T] int32 -> logits [B, T, vocabSize]. Call inside tf.tidy. */
  forward(idx: tf.Tensor2D, opts: ForwardOptions = {}): tf.Tensor3D {
    const [B, T] = idx.shape;
    const past = opts.past?.[0]?.k.shape[2] ?? 0;
    if (past + T > this.config.blockSize) {
      throw new Error(`GPT.forward: sequence of ${past + T} positions exceeds blockSize ${this.config.blockSize}`);
    }
    const w = this.weights();
    const pass = this.pass(B, T, past, opts);
    let x = pass.dropout(this.embed(w, idx, past)); // [B*T, C]
    for (const [l, layer] of w.h.entries()) x = block(x, layer, l, pass);
    x = norm(x, w.ln_f);
    const logits = w.lm_head ? tf.matMul(x, w.lm_head) : tf.matMul(x, w.wte, false, true); // tied: wte^T
    return tf.reshape(logits, [B, T, this.config.vocabSize]);
  }

  /**
   * The parameters typed and nested (`weights().h[0].attn.c_attn.weight`), built once per
   * params map. LoRA and the classification head run this forward on views whose `params`
   * differ from the base's, so the cache is keyed by the map, not by the model.
   */
  weights(): GPTWeights {
    let w = typedWeights.get(this.params);
    if (!w) typedWeights.set(this.params, (w = nest(this.params, this.config)));
    return w;
  }

  /** A copy with its own variables holding the same values (full fine-tuning trains a copy). */
  clone(): GPT {
    const copy = new GPT(this.config);
    for (const [name, v] of Object.entries(this.params)) copy.params[name].assign(v);
    return copy;
  }

  /** Token embeddings plus, for learned or sinusoidal positions, those of positions past..past+T-1. */
  private embed(w: GPTWeights, idx: tf.Tensor2D, past: number): tf.Tensor2D {
    const [B, T] = idx.shape;
    const C = this.config.nEmbd;
    const tok = tf.gather(w.wte, tf.reshape(idx, [B * T])) as tf.Tensor2D;
    const table = w.wpe ?? this.sinusoids;
    if (!table) return tok; // rope rotates q and k inside attention; "none" has no positions
    return tf.reshape(tf.add(tf.reshape(tok, [B, T, C]), tf.slice(table, [past, 0], [T, C])), [B * T, C]);
  }

  /** The pass's seams: seeded dropout in a fixed order, RoPE's rows for these positions. */
  private pass(B: number, T: number, past: number, opts: ForwardOptions): Pass {
    const rate = opts.training ? this.config.dropout : 0;
    let seed = opts.dropoutSeed ?? 0;
    const drop: Dropout = (x) => (rate > 0 ? dropout(x, rate, seed++) : x);
    const rope = this.rope && {
      cos: tf.slice(this.rope.cos, [past, 0], [T, -1]),
      sin: tf.slice(this.rope.sin, [past, 0], [T, -1]),
    };
    return { B, T, nHead: this.config.nHead, dropout: drop, dropoutRate: rate, rope, opts };
  }

  /** Mean next-token cross-entropy (nats) of idx [B, T] against targets [B, T]. */
  loss(idx: tf.Tensor2D, targets: tf.Tensor2D, opts: ForwardOptions = {}): tf.Scalar {
    return tf.tidy(() => {
      const logits = this.forward(idx, opts);
      const [B, T, V] = logits.shape;
      return crossEntropy(tf.reshape(logits, [B * T, V]), tf.reshape(targets, [B * T]));
    });
  }

  /** Number of parameters; nonEmbedding leaves out position embeddings, as nanoGPT reports it. */
  paramCount(opts: { nonEmbedding?: boolean } = {}): number {
    let n = 0;
    for (const [name, v] of Object.entries(this.params)) if (!(opts.nonEmbedding && name === "wpe")) n += v.size;
    return n;
  }

  /**
   * Training FLOPs per token (forward + backward), the estimate of Kaplan et al. / PaLM
   * appendix B that nanoGPT uses: 6N for the matmuls with weights plus 12·L·H·Q·T for attention.
   */
  flopsPerToken(): number {
    return trainingFlopsPerToken(this.config);
  }

  dispose(): void {
    Object.values(this.params).forEach((v) => v.dispose());
    this.sinusoids?.dispose();
    this.rope?.cos.dispose();
    this.rope?.sin.dispose();
  }
}

/**
 * One block of the plain path (no dropout, cache, RoPE or hooks) on x [B*T, C], as a training
 * step runs it: the native fused block where it is available, the tfjs ops otherwise.
 */
export function transformerBlock(
  x: tf.Tensor2D,
  p: BlockParams,
  dims: { B: number; T: number; nHead: number },
): tf.Tensor2D {
  return block(x, p, 0, { ...dims, dropout: (t) => t, dropoutRate: 0, opts: {} });
}

// Pre-LN (GPT-2): normalise each sublayer's input, add its output to the residual stream.
function block(x: tf.Tensor2D, p: BlockParams, l: number, pass: Pass): tf.Tensor2D {
  if (fusable(p, pass)) {
    const w = { ln1: p.ln_1.weight, wqkv: p.attn.c_attn.weight, wproj: p.attn.c_proj.weight, ln2: p.ln_2.weight };
    return fusedBlock(x, { ...w, wfc: p.mlp.c_fc.weight, wfp: p.mlp.c_proj.weight }, pass);
  }
  x = tf.add(x, attention(norm(x, p.ln_1), p.attn, l, pass));
  return tf.add(x, mlp(norm(x, p.ln_2), p.mlp, pass));
}

/**
 * The seam to the native fused block (src/backend/block.ts): it computes exactly this block
 * when nothing else rides along, so it is used only without biases, RoPE, dropout, a KV cache,
 * attention maps or capture hooks, and only where the addon is loaded (LLMLAB_FUSED=0: never).
 */
function fusable(p: BlockParams, pass: Pass): boolean {
  const o = pass.opts;
  if (pass.rope || pass.dropoutRate > 0 || o.past || o.presents || o.attention || o.capture) return false;
  const biases = [p.ln_1.bias, p.ln_2.bias, p.attn.c_attn.bias, p.attn.c_proj.bias, p.mlp.c_fc.bias, p.mlp.c_proj.bias];
  return biases.every((b) => b === undefined) && fusedBlockAvailable();
}

/** Causal self-attention of layer l, reading and filling the KV cache and attention maps. */
function attention(x: tf.Tensor2D, p: AttentionParams, l: number, pass: Pass): tf.Tensor2D {
  const { B, T, nHead, rope, dropout, opts } = pass;
  const a = causalSelfAttention(x, p, { B, T, nHead, rope, past: opts.past?.[l], dropout, capture: opts.capture });
  opts.attention?.push(a.att);
  opts.presents?.push(a.present);
  return a.y;
}

/** The position-wise feed-forward network: C -> 4C -> GELU -> C. */
function mlp(x: tf.Tensor2D, p: MlpParams, pass: Pass): tf.Tensor2D {
  const capture = pass.opts.capture;
  return pass.dropout(project(gelu(project(x, p.c_fc, capture)), p.c_proj, capture));
}

function norm(x: tf.Tensor2D, p: NormParams): tf.Tensor2D {
  return layerNorm(x, p.weight, p.bias);
}

const typedWeights = new WeakMap<Params, GPTWeights>();

/** Params by name -> GPTWeights; the one place a name is looked up and its rank asserted. */
function nest(params: Params, c: GPTConfig): GPTWeights {
  const get = <R extends tf.Rank>(name: string): tf.Tensor<R> => {
    const t = params[name];
    if (!t) throw new Error(`GPT: no parameter ${name}`);
    return t as tf.Tensor as tf.Tensor<R>;
  };
  const opt = <R extends tf.Rank>(name: string): tf.Tensor<R> | undefined => (c.bias ? get<R>(name) : undefined);
  const lin = (name: string): LinearParams => ({
    name: `${name}.weight`,
    weight: get(`${name}.weight`),
    bias: opt(`${name}.bias`),
  });
  const ln = (name: string): NormParams => ({ weight: get(`${name}.weight`), bias: opt(`${name}.bias`) });
  const h = Array.from({ length: c.nLayer }, (_, l): BlockParams => ({
    ln_1: ln(`h.${l}.ln_1`),
    attn: { c_attn: lin(`h.${l}.attn.c_attn`), c_proj: lin(`h.${l}.attn.c_proj`) },
    ln_2: ln(`h.${l}.ln_2`),
    mlp: { c_fc: lin(`h.${l}.mlp.c_fc`), c_proj: lin(`h.${l}.mlp.c_proj`) },
  }));
  return {
    wte: get("wte"),
    wpe: c.positional === "learned" ? get("wpe") : undefined,
    h,
    ln_f: ln("ln_f"),
    lm_head: c.tieWeights ? undefined : get("lm_head.weight"),
  };
}

/**
 * Training FLOPs per token of a config (GPT.flopsPerToken without building the model): 6 per
 * parameter but the position embeddings, plus 12·L·C·T for attention's two products. For a
 * tied, bias-free GPT this is its matmul FLOPs forward and backward, plus 6 per LayerNorm gain.
 */
export function trainingFlopsPerToken(c: GPTConfig): number {
  let n = 0;
  for (const [name, shape] of paramShapes(c)) if (name !== "wpe") n += shape.reduce((a, b) => a * b, 1);
  return 6 * n + 12 * c.nLayer * c.nEmbd * c.blockSize;
}

/** Parameter shapes in a fixed order (the checkpoint order). */
export function paramShapes(c: GPTConfig): [string, number[]][] {
  const C = c.nEmbd;
  const out: [string, number[]][] = [["wte", [c.vocabSize, C]]];
  if (c.positional === "learned") out.push(["wpe", [c.blockSize, C]]);
  const lin = (name: string, i: number, o: number): void => {
    out.push([name + ".weight", [i, o]]);
    if (c.bias) out.push([name + ".bias", [o]]);
  };
  const ln = (name: string): void => {
    out.push([name + ".weight", [C]]);
    if (c.bias) out.push([name + ".bias", [C]]);
  };
  for (let l = 0; l < c.nLayer; l++) {
    ln(`h.${l}.ln_1`);
    lin(`h.${l}.attn.c_attn`, C, 3 * C);
    lin(`h.${l}.attn.c_proj`, C, C);
    ln(`h.${l}.ln_2`);
    lin(`h.${l}.mlp.c_fc`, C, 4 * C);
    lin(`h.${l}.mlp.c_proj`, 4 * C, C);
  }
  ln("ln_f");
  if (!c.tieWeights) out.push(["lm_head.weight", [C, c.vocabSize]]);
  return out;
}

/**
 * GPT-2 initialisation: weights and embeddings N(0, 0.02), biases 0, LayerNorm gain 1; the
 * projections that write into the residual stream (c_proj) get std 0.02/sqrt(2·nLayer) so
 * the stream's variance does not grow with depth (GPT-2 paper, section 2.3).
 */
function initParams(c: GPTConfig, rng: Rng): Params {
  const params: Params = {};
  for (const [name, shape] of paramShapes(c)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    if (/ln_\d\.weight$|ln_f\.weight$/.test(name)) data.fill(1);
    else if (!name.endsWith(".bias")) {
      const std = name.endsWith("c_proj.weight") ? 0.02 / Math.sqrt(2 * c.nLayer) : 0.02;
      for (let i = 0; i < size; i++) data[i] = rng.normal() * std;
    }
    const init = tf.tensor(data, shape);
    params[name] = tf.variable(init, true, `${name}_${nextId++}`);
    init.dispose();
  }
  return params;
}

// tfjs variable names must be unique per process; several models may coexist.
let nextId = 0;
