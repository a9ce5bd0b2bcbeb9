// AdamW (Loshchilov & Hutter 2019): Adam's moment estimates with bias correction (Kingma &
// Ba 2015) and weight decay applied to the weights directly ("decoupled"), not added to
// the gradient. Written here rather than taken from tf.train.adam because tfjs has no
// decoupled decay, no per-parameter decay mask, and no way to export its moments for a
// checkpoint. The fast backend may provide a fused update behind the same interface.
import * as tf from "@tensorflow/tfjs-core";

export interface AdamWOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
  /** Which parameters are decayed (default: all). */
  decay?: (name: string) => boolean;
}

/** Everything needed to continue exactly: step count and both moments per parameter. */
export interface AdamWState {
  t: number;
  m: Record<string, Float32Array>;
  v: Record<string, Float32Array>;
}

export interface Optimizer {
  /** One update of every variable in vars from the gradient of the same name, at rate lr. */
  step(grads: Record<string, tf.Tensor>, vars: Record<string, tf.Variable>, lr: number): void;
  getState(): AdamWState;
  setState(state: AdamWState): void;
  dispose(): void;
}

export function createAdamW(opts: AdamWOptions): Optimizer {
  const { beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0, decay = () => true } = opts;
  if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
    throw new Error(`AdamW: betas must be in [0, 1), got beta1=${beta1}, beta2=${beta2}`);
  }
  let t = 0;
  const m: Record<string, tf.Variable> = {};
  const v: Record<string, tf.Variable> = {};
  // Restored moments arrive flat; they take their parameter's shape at the first step.
  let pending: AdamWState | null = null;
  const moment = (which: "m" | "v", name: string, like: tf.Tensor): tf.Variable => {
    const store = which === "m" ? m : v;
    if (store[name]) return store[name];
    const saved = pending?.[which][name];
    if (pending && !saved) throw new Error(`AdamW: restored state has no ${which} for parameter ${name}`);
    if (saved && saved.length !== like.size) {
      throw new Error(`AdamW: restored ${which} for ${name} has ${saved.length} values, parameter has ${like.size}`);
    }
    return (store[name] = tf.tidy(() => tf.variable(saved ? tf.tensor(saved, like.shape) : tf.zerosLike(like), false)));
  };

  return {
    step(grads, vars, lr) {
      if (!Number.isFinite(lr)) throw new Error(`AdamW.step: lr must be finite, got ${lr}`);
      t += 1;
      const bc1 = 1 - Math.pow(beta1, t);
      const bc2 = 1 - Math.pow(beta2, t);
      for (const [name, p] of Object.entries(vars)) {
        const g = grads[name];
        if (!g) throw new Error(`AdamW.step: no gradient for parameter ${name}`);
        const mi = moment("m", name, p);
        const vi = moment("v", name, p);
        tf.tidy(() => {
          mi.assign(tf.add(tf.mul(mi, beta1), tf.mul(g, 1 - beta1)));
          vi.assign(tf.add(tf.mul(vi, beta2), tf.mul(tf.square(g), 1 - beta2)));
          // p <- p·(1 - lr·wd) - lr · m̂ / (sqrt(v̂) + eps), with m̂ = m/bc1, v̂ = v/bc2
          const denom = tf.add(tf.div(tf.sqrt(vi), Math.sqrt(bc2)), eps);
          const update = tf.mul(tf.div(mi, denom), lr / bc1);
          const wd = weightDecay > 0 && decay(name) ? 1 - lr * weightDecay : 1;
          p.assign(tf.sub(wd === 1 ? p : tf.mul(p, wd), update));
        });
      }
      pending = null;
    },
    getState() {
      if (pending) return pending; // restored but not stepped yet
      const read = (s: Record<string, tf.Variable>): Record<string, Float32Array> =>
        Object.fromEntries(Object.entries(s).map(([k, x]) => [k, Float32Array.from(x.dataSync())]));
      return { t, m: read(m), v: read(v) };
    },
    setState(state) {
      if (!Number.isInteger(state.t) || state.t < 0) throw new Error(`AdamW.setState: t must be a non-negative integer, got ${state.t}`);
      this.dispose();
      t = state.t;
      pending = state.t > 0 ? state : null;
    },
    dispose() {
      for (const s of [m, v]) for (const k of Object.keys(s)) {
        s[k].dispose();
        delete s[k];
      }
    },
  };
}
