// AdamW for the trainer: one fused kernel call per parameter on cpu and wasm; on other
// backends (tensorflow, webgpu) the same formula as tfjs ops inside one tidy.
import * as tf from "@tensorflow/tfjs-core";
import { ADAMW_KERNEL, registerAdamWKernels, type AdamWAttrs } from "./kernels/adamw";

export interface AdamWOptions {
  lr: number;
  beta1?: number; // default 0.9
  beta2?: number; // default 0.999 (nanoGPT uses 0.99 for the baby GPT)
  eps?: number; // default 1e-8
  weightDecay?: number; // default 0.01, as torch.optim.AdamW
  /** Which parameters get weight decay; default: rank >= 2 (matrices, not biases or gains), as nanoGPT. */
  decay?: (name: string, variable: tf.Variable) => boolean;
  /** false: the same update as ~14 tfjs ops per parameter (a reference; the benchmark's baseline). */
  fused?: boolean;
}

/** Optimizer state for checkpoints: the step count and both moments per parameter. */
export interface AdamWState {
  step: number;
  m: Record<string, Float32Array>;
  v: Record<string, Float32Array>;
}

export interface AdamW {
  readonly options: Required<Omit<AdamWOptions, "decay" | "fused">>;
  /** Completed steps (the bias corrections use step + 1). */
  readonly stepCount: number;
  /**
   * One update of every variable that has a gradient; `lr` overrides options.lr (schedules);
   * every gradient is read multiplied by `gradScale` (global-norm clipping's factor, default 1).
   */
  step(grads: Record<string, tf.Tensor>, vars: Record<string, tf.Variable>, lr?: number, gradScale?: number): void;
  exportState(): AdamWState;
  importState(state: AdamWState): void;
  dispose(): void;
}

function composite(p: tf.Tensor, grad: tf.Tensor, m: tf.Tensor, v: tf.Tensor, a: AdamWAttrs): tf.Tensor[] {
  return tf.tidy(() => {
    const g = a.gradScale === 1 ? grad : tf.mul(grad, a.gradScale);
    const m1 = tf.add(tf.mul(m, a.beta1), tf.mul(g, 1 - a.beta1));
    const v1 = tf.add(tf.mul(v, a.beta2), tf.mul(tf.square(g), 1 - a.beta2));
    const denom = tf.add(tf.div(tf.sqrt(v1), Math.sqrt(1 - Math.pow(a.beta2, a.step))), a.eps);
    const stepSize = a.lr / (1 - Math.pow(a.beta1, a.step));
    const p1 = tf.sub(tf.mul(p, 1 - a.lr * a.weightDecay), tf.mul(tf.div(m1, denom), stepSize));
    return [p1, m1, v1];
  });
}

export function createAdamW(opts: AdamWOptions): AdamW {
  if (!(typeof opts?.lr === "number" && opts.lr >= 0))
    throw new Error(`createAdamW: lr must be a number >= 0, got ${opts?.lr}`);
  const { decay: _decay, fused: _fused, ...given } = opts;
  const options = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, ...given };
  for (const k of ["beta1", "beta2"] as const) {
    if (!(options[k] >= 0 && options[k] < 1)) throw new Error(`createAdamW: ${k} must be in [0, 1), got ${options[k]}`);
  }
  const decay = opts.decay ?? ((_name: string, v: tf.Variable) => v.rank >= 2);
  registerAdamWKernels();
  const m: Record<string, tf.Tensor> = {};
  const v: Record<string, tf.Tensor> = {};
  // Imported moments wait here until step() sees their variable and so knows the shape.
  let pending: AdamWState = { step: 0, m: {}, v: {} };
  let stepCount = 0;
  const moment = (saved: Float32Array | undefined, p: tf.Variable, name: string) => {
    if (!saved) return tf.zerosLike(p);
    if (saved.length !== p.size) {
      throw new Error(`AdamW: imported moment for '${name}' has ${saved.length} values, variable has ${p.size}`);
    }
    return tf.tensor(saved, p.shape, "float32");
  };

  return {
    options: {
      lr: options.lr,
      beta1: options.beta1,
      beta2: options.beta2,
      eps: options.eps,
      weightDecay: options.weightDecay,
    },
    get stepCount() {
      return stepCount;
    },
    step(grads, vars, lr = options.lr, gradScale = 1) {
      if (!(Number.isFinite(gradScale) && gradScale >= 0))
        throw new Error(`AdamW.step: gradScale must be a finite number >= 0, got ${gradScale}`);
      const attrs = {
        lr,
        beta1: options.beta1,
        beta2: options.beta2,
        eps: options.eps,
        step: stepCount + 1,
        gradScale,
      };
      const fused = opts.fused !== false && tf.getKernel(ADAMW_KERNEL, tf.getBackend()) != null;
      for (const [name, g] of Object.entries(grads)) {
        const p = vars[name];
        if (!p) throw new Error(`AdamW.step: gradient '${name}' has no variable of that name`);
        if (g.shape.join() !== p.shape.join()) {
          throw new Error(`AdamW.step: gradient '${name}' has shape [${g.shape}], variable has [${p.shape}]`);
        }
        m[name] ??= moment(pending.m[name], p, name);
        v[name] ??= moment(pending.v[name], p, name);
        const a: AdamWAttrs = { ...attrs, weightDecay: decay(name, p) ? options.weightDecay : 0 };
        const [p1, m1, v1] = fused
          ? (tf
              .engine()
              .runKernel(
                ADAMW_KERNEL,
                { param: p, grad: g, m: m[name], v: v[name] },
                a as unknown as tf.NamedAttrMap,
              ) as tf.Tensor[])
          : composite(p, g, m[name], v[name], a);
        p.assign(p1);
        p1.dispose();
        m[name].dispose();
        v[name].dispose();
        m[name] = m1;
        v[name] = v1;
      }
      stepCount++;
    },
    exportState() {
      const read = (r: Record<string, tf.Tensor>) =>
        Object.fromEntries(Object.entries(r).map(([k, t]) => [k, Float32Array.from(t.dataSync())]));
      return { step: stepCount, m: { ...pending.m, ...read(m) }, v: { ...pending.v, ...read(v) } };
    },
    importState(state) {
      if (!state || !Number.isInteger(state.step) || state.step < 0) {
        throw new Error("AdamW.importState: state.step must be a non-negative integer");
      }
      for (const k of Object.keys(state.m)) {
        if (!state.v[k] || state.v[k].length !== state.m[k].length) {
          throw new Error(`AdamW.importState: moments for '${k}' are missing or of different lengths`);
        }
      }
      this.dispose();
      pending = { step: state.step, m: { ...state.m }, v: { ...state.v } };
      stepCount = state.step;
    },
    dispose() {
      for (const r of [m, v])
        for (const k of Object.keys(r)) {
          r[k].dispose();
          delete r[k];
        }
    },
  };
}
