// LoRA (Hu et al. 2021, "Low-Rank Adaptation of Large Language Models"): freeze W and learn
// a low-rank update, W' = W + (alpha/r)·A·B with A [in, r], B [r, out] (our Linear layout is
// x·W, W [in, out], so A is peft's lora_A transposed and B peft's lora_B transposed).
// Initialisation as peft: A ~ kaiming_uniform(a=sqrt(5)) = U(-1/sqrt(in), 1/sqrt(in)), B = 0,
// so at step 0 the adapted model is exactly the pretrained one.
//
// How it plugs in without touching src/model: GPT.forward reads its weights from
// `this.params`, so the adapted forward runs the base's own forward on a view object whose
// params map has W + (alpha/r)·A·B in place of each targeted W (computed in the graph, so
// gradients reach A and B; the base variables are not in the gradient list and never change).
// Folding the update into W costs in·r·out extra multiply-adds per step, tiny next to the
// activations, and keeps one forward implementation for base, adapted and merged models.
import * as tf from "@tensorflow/tfjs-core";
import { GPT, ForwardOptions, Params } from "../model/gpt";
import { Rng } from "../model/rng";
import { modelFingerprint } from "./fingerprint";

/**
 * What LoRA can adapt: q, k, v are column blocks of the fused c_attn; attn.c_proj, mlp.c_fc,
 * mlp.c_proj whole Linears (in every adapted block); wte the token embedding (which, tied,
 * is also the LM head), as peft's LoRA for nn.Embedding.
 */
export type LoRATarget = "q" | "k" | "v" | "attn.c_proj" | "mlp.c_fc" | "mlp.c_proj" | "wte";
export const LORA_TARGETS: LoRATarget[] = ["q", "k", "v", "attn.c_proj", "mlp.c_fc", "mlp.c_proj", "wte"];

export interface LoRAConfig {
  rank: number;
  alpha: number;
  /**
   * Dropout on the adapter's input. Because the update is folded into W (see above), one
   * mask over the input features is drawn per step and shared by every token; peft draws
   * one per token. Default 0, as peft's lora_dropout.
   */
  dropout: number;
  targets: LoRATarget[];
  /** Blocks to adapt (default: all). */
  layers?: number[];
  /** Seed of A's initialisation. */
  seed: number;
}

/** peft's LoraConfig defaults: r 8, alpha 8, dropout 0, attention query and value. */
export const defaultLoRAConfig: LoRAConfig = { rank: 8, alpha: 8, dropout: 0, targets: ["q", "v"], seed: 0 };

export interface Adapter {
  /** e.g. "h.0.attn.q"; its tensors are saved as `${site}.lora_A` and `${site}.lora_B`. */
  site: string;
  /** The base parameter it updates, and which of its columns. */
  param: string;
  col: number;
  cols: number;
  A: tf.Variable; // [in, r]
  B: tf.Variable; // [r, cols]
}

export function checkLoRAConfig(c: LoRAConfig, nLayer: number): LoRAConfig {
  if (!Number.isInteger(c.rank) || c.rank < 1)
    throw new Error(`LoRA config: rank must be a positive integer, got ${JSON.stringify(c.rank)}`);
  if (typeof c.alpha !== "number" || !(c.alpha > 0))
    throw new Error(`LoRA config: alpha must be a positive number, got ${JSON.stringify(c.alpha)}`);
  if (!(c.dropout >= 0 && c.dropout < 1))
    throw new Error(`LoRA config: dropout must be in [0, 1), got ${JSON.stringify(c.dropout)}`);
  if (!Array.isArray(c.targets) || c.targets.length === 0)
    throw new Error(`LoRA config: targets must be a non-empty list of ${LORA_TARGETS.join(", ")}`);
  for (const t of c.targets)
    if (!LORA_TARGETS.includes(t))
      throw new Error(`LoRA config: unknown target ${JSON.stringify(t)} (expected one of ${LORA_TARGETS.join(", ")})`);
  if (new Set(c.targets).size !== c.targets.length)
    throw new Error(`LoRA config: targets repeat: ${c.targets.join(", ")}`);
  for (const l of c.layers ?? [])
    if (!Number.isInteger(l) || l < 0 || l >= nLayer)
      throw new Error(`LoRA config: layer ${l} is not in [0, ${nLayer})`);
  return c;
}

let nextId = 0; // tfjs variable names must be unique per process

export class LoRA {
  readonly base: GPT;
  readonly config: LoRAConfig;
  readonly adapters: Adapter[] = [];
  /**
   * Small modules trained and saved with the adapters (peft's modules_to_save), e.g. a
   * classification head. Named as in the adapter file.
   */
  readonly extra: Record<string, tf.Variable> = {};
  /** sha256 of the base weights this adapter belongs to, taken when it was attached. */
  readonly baseFingerprint: string;
  private mergedFlag = false;

  /** Adds fresh adapters (B = 0) to a base model; the base's weights are left as they are. */
  constructor(base: GPT, config: Partial<LoRAConfig> = {}) {
    this.base = base;
    this.config = checkLoRAConfig({ ...defaultLoRAConfig, ...config }, base.config.nLayer);
    this.baseFingerprint = modelFingerprint(base);
    const { rank: r, seed } = this.config;
    const C = base.config.nEmbd;
    const rng = new Rng(seed);
    const layers = this.config.layers ?? Array.from({ length: base.config.nLayer }, (_, l) => l);
    const add = (site: string, param: string, col: number, cols: number, embedding: boolean): void => {
      const w = base.params[param];
      if (!w) throw new Error(`LoRA: the base model has no parameter ${param}`);
      const inF = w.shape[0];
      // peft: Linear A ~ kaiming_uniform(a=sqrt(5)) = U(±1/sqrt(in)), B = 0; Embedding A = 0, B ~ N(0, 1).
      const bound = 1 / Math.sqrt(inF);
      const a = embedding
        ? new Float32Array(inF * r)
        : Float32Array.from({ length: inF * r }, () => (2 * rng.uniform() - 1) * bound);
      const b = embedding ? Float32Array.from({ length: r * cols }, () => rng.normal()) : new Float32Array(r * cols);
      this.adapters.push({
        site,
        param,
        col,
        cols,
        A: tf.variable(tf.tensor2d(a, [inF, r]), true, `lora_${site}.A_${nextId++}`),
        B: tf.variable(tf.tensor2d(b, [r, cols]), true, `lora_${site}.B_${nextId++}`),
      });
    };
    if (this.config.targets.includes("wte")) add("wte", "wte", 0, C, true);
    for (const l of layers) {
      for (const t of this.config.targets) {
        if (t === "wte") continue;
        const qkv = ["q", "k", "v"].indexOf(t);
        if (qkv >= 0) add(`h.${l}.attn.${t}`, `h.${l}.attn.c_attn.weight`, qkv * C, C, false);
        else add(`h.${l}.${t}`, `h.${l}.${t}.weight`, 0, base.params[`h.${l}.${t}.weight`]?.shape[1] ?? 0, false);
      }
    }
  }

  /** alpha / r: the update's scale, so changing r does not change the effective step size much. */
  get scale(): number {
    return this.config.alpha / this.config.rank;
  }

  get merged(): boolean {
    return this.mergedFlag;
  }

  /** The trainable variables: `${site}.lora_A` / `${site}.lora_B`, and any extra modules. */
  get params(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = { ...this.extra };
    for (const a of this.adapters) {
      out[`${a.site}.lora_A`] = a.A;
      out[`${a.site}.lora_B`] = a.B;
    }
    return out;
  }

  /** Trainable parameters: adapters plus extra modules. */
  paramCount(): number {
    return Object.values(this.params).reduce((n, v) => n + v.size, 0);
  }

  /**
   * (alpha/r)·A·B laid out as the whole base parameter (zeros in columns no adapter covers,
   * e.g. the k block of c_attn when only q and v are adapted). `featureMask` [in] is dropout.
   */
  delta(param: string, featureMask?: (a: Adapter) => tf.Tensor | undefined): tf.Tensor2D {
    return tf.tidy(() => {
      const w = this.base.params[param];
      const own = this.adapters.filter((a) => a.param === param).sort((a, b) => a.col - b.col);
      if (own.length === 0) throw new Error(`LoRA.delta: no adapter on ${param}`);
      const [inF, outF] = w.shape;
      const pieces: tf.Tensor2D[] = [];
      let col = 0;
      for (const a of own) {
        if (a.col > col) pieces.push(tf.zeros([inF, a.col - col]));
        const m = featureMask?.(a);
        const A = m ? tf.mul(a.A, m) : a.A;
        pieces.push(tf.mul(tf.matMul(A as tf.Tensor2D, a.B as tf.Tensor2D), this.scale));
        col = a.col + a.cols;
      }
      if (col < outF) pieces.push(tf.zeros([inF, outF - col]));
      return pieces.length === 1 ? pieces[0] : tf.concat(pieces, 1);
    });
  }

  /** The base params with every adapted W replaced by W + delta (tensors: call inside tf.tidy). */
  effectiveParams(opts: { dropoutSeed?: number } = {}): Params {
    const { dropout } = this.config;
    let featureMask: ((a: Adapter) => tf.Tensor) | undefined;
    if (dropout > 0 && opts.dropoutSeed !== undefined) {
      const rng = new Rng(opts.dropoutSeed);
      featureMask = (a) => {
        const inF = a.A.shape[0];
        const keep = Float32Array.from({ length: inF }, () => (rng.uniform() < dropout ? 0 : 1 / (1 - dropout)));
        return tf.tensor2d(keep, [inF, 1]);
      };
    }
    const eff: Record<string, tf.Tensor> = { ...this.base.params };
    for (const param of new Set(this.adapters.map((a) => a.param)))
      eff[param] = tf.add(this.base.params[param], this.delta(param, featureMask));
    // forward() only reads these as tensors; Params is typed as variables for the optimizer's sake.
    return eff as unknown as Params;
  }

  /**
   * The adapted model as a GPT (for generate, evaluation): a view that shares the base's
   * config and tables but reads effective weights. Dispose the weights with tf.dispose(view.params)
   * minus the base's, or use withModel.
   */
  private view(params: Params): GPT {
    const v = Object.create(this.base) as GPT;
    Object.defineProperty(v, "params", { value: params });
    return v;
  }

  /** idx [B, T] -> logits [B, T, V] of the adapted model. Call inside tf.tidy. */
  forward(idx: tf.Tensor2D, opts: ForwardOptions = {}): tf.Tensor3D {
    if (this.mergedFlag) {
      if (opts.training)
        throw new Error("LoRA.forward: the adapters are merged into the base; unmerge() before training them");
      return this.base.forward(idx, opts);
    }
    const seed = opts.training ? opts.dropoutSeed : undefined;
    return this.view(this.effectiveParams({ dropoutSeed: seed })).forward(idx, opts);
  }

  /** Runs fn on the adapted model as a plain GPT (weights computed once), then frees them. */
  withModel<T>(fn: (model: GPT) => T): T {
    if (this.mergedFlag) return fn(this.base);
    const eff = tf.tidy(() => this.effectiveParams());
    const own = Object.entries(eff)
      .filter(([k, v]) => v !== this.base.params[k])
      .map(([, v]) => v);
    try {
      return fn(this.view(eff));
    } finally {
      tf.dispose(own);
    }
  }

  /** W <- W + (alpha/r)·A·B for every adapted W: inference then costs exactly the base's. */
  merge(): void {
    if (this.mergedFlag) throw new Error("LoRA.merge: already merged");
    for (const param of new Set(this.adapters.map((a) => a.param))) {
      const w = this.base.params[param];
      tf.tidy(() => w.assign(tf.add(w, this.delta(param))));
    }
    this.mergedFlag = true;
  }

  /** W <- W - (alpha/r)·A·B: back to the base, up to float32 rounding (as peft's unmerge). */
  unmerge(): void {
    if (!this.mergedFlag) throw new Error("LoRA.unmerge: not merged");
    for (const param of new Set(this.adapters.map((a) => a.param))) {
      const w = this.base.params[param];
      tf.tidy(() => w.assign(tf.sub(w, this.delta(param))));
    }
    this.mergedFlag = false;
  }

  /** Frees the adapters and extra modules (not the base). */
  dispose(): void {
    for (const a of this.adapters) tf.dispose([a.A, a.B]);
    tf.dispose(Object.values(this.extra));
  }
}
