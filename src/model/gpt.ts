// The GPT decoder (Radford et al. 2018/2019) in the shape of nanoGPT's model.py:
// token (+ position) embedding -> nLayer pre-LayerNorm blocks -> final LayerNorm -> logits.
// Parameters are named as in GPT-2 checkpoints so that they read the same in a safetensors file.
import * as tf from "@tensorflow/tfjs-core";
// tfjs-core's CommonJS bundle leaves out the gradient functions (its register_all_gradients
// is ES-module only); tfjs-layers' bundle registers all of them into the shared registry.
import "@tensorflow/tfjs-layers";
import { GPTConfig, gptConfig } from "./config";
import { Rng } from "./rng";
import { linear, layerNorm, gelu, crossEntropy, dropout } from "./layers";
import { causalSelfAttention, KV } from "./attention";
import { sinusoidalTable, ropeTables } from "./positional";

export type Params = Record<string, tf.Variable>;

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
    const { nLayer, nHead, blockSize, vocabSize, nEmbd: C, dropout: rate } = this.config;
    const [B, T] = idx.shape;
    const past = opts.past?.[0]?.k.shape[2] ?? 0;
    if (past + T > blockSize) {
      throw new Error(`GPT.forward: sequence of ${past + T} positions exceeds blockSize ${blockSize}`);
    }
    const p = this.params;
    let seed = opts.dropoutSeed ?? 0;
    const drop = opts.training && rate > 0 ? rate : 0;
    const nextSeed = drop > 0 ? () => seed++ : undefined;

    let x = tf.gather(p["wte"], tf.reshape(idx, [B * T])) as tf.Tensor2D; // [B*T, C]
    if (this.config.positional === "learned" || this.sinusoids) {
      const table = this.sinusoids ?? (p["wpe"] as tf.Tensor2D);
      const pos = tf.slice(table, [past, 0], [T, C]);
      x = tf.reshape(tf.add(tf.reshape(x, [B, T, C]), pos), [B * T, C]);
    }
    x = dropout(x, drop, nextSeed?.());
    const rope = this.rope && {
      cos: tf.slice(this.rope.cos, [past, 0], [T, -1]),
      sin: tf.slice(this.rope.sin, [past, 0], [T, -1]),
    };
    const b = (name: string): tf.Tensor1D | undefined => p[name] as tf.Tensor1D | undefined;
    for (let l = 0; l < nLayer; l++) {
      const h = `h.${l}.`;
      // Pre-LN (GPT-2): normalise the input of each sublayer, add its output to the residual stream.
      const ln1 = layerNorm(x, p[h + "ln_1.weight"] as tf.Tensor1D, b(h + "ln_1.bias"));
      opts.capture?.(h + "attn.c_attn.weight", ln1);
      const a = causalSelfAttention(
        ln1,
        {
          cAttnW: p[h + "attn.c_attn.weight"] as tf.Tensor2D,
          cAttnB: b(h + "attn.c_attn.bias"),
          cProjW: p[h + "attn.c_proj.weight"] as tf.Tensor2D,
          cProjB: b(h + "attn.c_proj.bias"),
        },
        { B, T, nHead, rope, past: opts.past?.[l], dropout: drop, nextSeed, capture: opts.capture && ((m) => opts.capture!(h + "attn.c_proj.weight", m)) },
      );
      opts.attention?.push(a.att);
      opts.presents?.push(a.present);
      x = tf.add(x, a.y);
      const ln2 = layerNorm(x, p[h + "ln_2.weight"] as tf.Tensor1D, b(h + "ln_2.bias"));
      opts.capture?.(h + "mlp.c_fc.weight", ln2);
      const hidden = gelu(linear(ln2, p[h + "mlp.c_fc.weight"] as tf.Tensor2D, b(h + "mlp.c_fc.bias")));
      opts.capture?.(h + "mlp.c_proj.weight", hidden);
      x = tf.add(x, dropout(linear(hidden, p[h + "mlp.c_proj.weight"] as tf.Tensor2D, b(h + "mlp.c_proj.bias")), drop, nextSeed?.()));
    }
    x = layerNorm(x, p["ln_f.weight"] as tf.Tensor1D, b("ln_f.bias"));
    const logits = this.config.tieWeights
      ? tf.matMul(x, p["wte"], false, true) // lm_head = wte^T
      : tf.matMul(x, p["lm_head.weight"]);
    return tf.reshape(logits, [B, T, vocabSize]);
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
    const { nLayer: L, nHead: H, nEmbd: C, blockSize: T } = this.config;
    return 6 * this.paramCount({ nonEmbedding: true }) + 12 * L * H * (C / H) * T;
  }

  dispose(): void {
    Object.values(this.params).forEach((v) => v.dispose());
    this.sinusoids?.dispose();
    this.rope?.cos.dispose();
    this.rope?.sin.dispose();
  }
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

/** Whether AdamW should decay a parameter: matrices only, not biases, norms or embeddings. */
export function decays(name: string): boolean {
  return /(c_attn|c_proj|c_fc)\.weight$/.test(name) || name === "lm_head.weight";
}
