// The native fused transformer block (src/backend/block.ts, native/block.cc) against the
// model's own block as tfjs ops (LLMLAB_FUSED=0): the value, the gradient of every weight and
// of the input, central finite differences of the fused gradient on a tiny block, and 20
// training steps of the baby GPT with and without it. Skipped, saying why, where the native
// addon is not loaded (no AVX2, not built): then the model runs the tfjs ops anyway.
import * as tf from "@tensorflow/tfjs-core";
import { initBackend, fusedBlockAvailable } from "../backend";
import { loadGemmAddon } from "../backend/addon";
import { GPT, transformerBlock, BlockParams } from "./gpt";
import { gaussian, mulberry32 } from "./rng";
import { Trainer, presets } from "../train";

const randn = (n: number, seed: number, scale = 1): Float32Array => {
  const r = gaussian(mulberry32(seed));
  return Float32Array.from({ length: n }, () => r() * scale);
};

/** Runs f with the fused block on or off (LLMLAB_FUSED is read at every block). */
function withFused<R>(on: boolean, f: () => R): R {
  const saved = process.env.LLMLAB_FUSED;
  process.env.LLMLAB_FUSED = on ? "1" : "0";
  try {
    return f();
  } finally {
    if (saved === undefined) delete process.env.LLMLAB_FUSED;
    else process.env.LLMLAB_FUSED = saved;
  }
}

const worst = (a: Float32Array, b: Float32Array): number => {
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]));
  return w;
};

const available = loadGemmAddon().addon !== null;
const describeNative = available ? describe : describe.skip;
if (!available) console.log(`fused block tests skipped: ${loadGemmAddon().reason}`);

beforeAll(async () => {
  await initBackend({ prefer: "wasm" });
});

/** A block's weights as the model holds them, perturbed off their init so LayerNorm gains matter. */
function blockOf(C: number, H: number, seed: number): { model: GPT; p: BlockParams } {
  const model = new GPT({ vocabSize: 11, blockSize: 64, nLayer: 1, nHead: H, nEmbd: C }, { seed });
  let s = seed * 100;
  for (const v of Object.values(model.params)) v.assign(tf.add(v, tf.tensor(randn(v.size, s++, 0.1), v.shape)));
  return { model, p: model.weights().h[0] };
}

describeNative("fused transformer block (native) against the block as tfjs ops", () => {
  // T = 37: the native attention's 6-row tiles and 16-key tiles both end ragged.
  const B = 2,
    T = 37;

  test("the fused kernel is registered on the fast wasm backend", () => {
    expect(fusedBlockAvailable()).toBe(true);
    expect(withFused(false, fusedBlockAvailable)).toBe(false);
  });

  // Head width 8 takes the attention's padded copies, 32 works on q, k, v in place.
  test.each([
    [32, 4],
    [64, 2],
  ])("C %i, %i heads: forward and the gradients of the input and all six weights agree with tfjs autodiff", (C, H) => {
    const { model, p } = blockOf(C, H, 3);
    const x = tf.tensor2d(randn(B * T * C, 4), [B * T, C]);
    const r = tf.tensor2d(randn(B * T * C, 5), [B * T, C]);
    const ws = [p.ln_1.weight, p.attn.c_attn.weight, p.attn.c_proj.weight, p.ln_2.weight, p.mlp.c_fc.weight];
    // The weights enter as the block's own tensors, so tf.grads differentiates the block's params.
    const run = (on: boolean) =>
      withFused(on, () =>
        tf.tidy(() => {
          const y = transformerBlock(x, p, { B, T, nHead: H });
          const g = tf.grads((xx: tf.Tensor) =>
            tf.sum(tf.mul(transformerBlock(xx as tf.Tensor2D, p, { B, T, nHead: H }), r)),
          )([x]);
          const gw = tf.variableGrads(() => tf.sum(tf.mul(transformerBlock(x, p, { B, T, nHead: H }), r)) as tf.Scalar);
          const byVar = ws.concat([p.mlp.c_proj.weight]).map((w) => gw.grads[(w as tf.Variable).name]);
          return [y, ...g, ...byVar].map((t) => t.dataSync() as Float32Array);
        }),
      );
    const fused = run(true),
      plain = run(false);
    expect(fused.length).toBe(8);
    const names = ["y", "dx", "dln_1", "dc_attn", "dattn.c_proj", "dln_2", "dc_fc", "dmlp.c_proj"];
    for (let i = 0; i < fused.length; i++) {
      const scale = Math.max(1, ...plain[i].map(Math.abs));
      const diff = worst(fused[i], plain[i]) / scale;
      if (diff > 2e-5)
        throw new Error(`${names[i]}: fused and tfjs differ by ${diff} (relative to max |value| ${scale})`);
      // Not all zeros: the comparison compares something.
      expect(Math.max(...plain[i].map(Math.abs))).toBeGreaterThan(1e-3);
    }
    tf.dispose([x, r]);
    model.dispose();
  });

  test("the fused gradient matches central finite differences of the fused forward (tiny block)", () => {
    const b = 2,
      t = 5,
      c = 8,
      h = 2;
    const { model, p } = blockOf(c, h, 9);
    const x = tf.variable(tf.tensor2d(randn(b * t * c, 10), [b * t, c]));
    const r = tf.tensor2d(randn(b * t * c, 11), [b * t, c]);
    const blockVars = [
      x,
      p.ln_1.weight,
      p.attn.c_attn.weight,
      p.attn.c_proj.weight,
      p.ln_2.weight,
      p.mlp.c_fc.weight,
      p.mlp.c_proj.weight,
    ] as tf.Variable[];
    const f = (): tf.Scalar => tf.sum(tf.mul(transformerBlock(x, p, { B: b, T: t, nHead: h }), r));
    const grads = withFused(true, () => tf.variableGrads(f, blockVars).grads);
    const value = (): number => withFused(true, () => tf.tidy(() => f().dataSync()[0]));
    const eps = 1e-2;
    let checked = 0;
    for (const v of blockVars) {
      const g = grads[v.name].dataSync();
      const base = Float32Array.from(v.dataSync());
      // Every element of a small weight, a spread of them otherwise.
      const step = Math.max(1, Math.floor(v.size / 12));
      for (let i = 0; i < v.size; i += step) {
        const at = (d: number): number => {
          const w = base.slice();
          w[i] += d;
          v.assign(tf.tensor(w, v.shape));
          return value();
        };
        const fd = (at(eps) - at(-eps)) / (2 * eps);
        v.assign(tf.tensor(base, v.shape));
        if (Math.abs(fd - g[i]) > 3e-3 + 1e-2 * Math.abs(fd))
          throw new Error(`${v.name}[${i}]: fused gradient ${g[i]}, finite difference ${fd}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(60);
    tf.dispose([x, r, ...Object.values(grads)]);
    model.dispose();
  });

  test("20 training steps of the baby GPT give the same losses with and without the fused block, and to the bit on 1, 2 and 4 threads", async () => {
    const text = "First Citizen: Before we proceed any further, hear me speak. All: Speak, speak. ".repeat(40);
    const chars = [...new Set(text)].sort();
    const ids = Int32Array.from(text, (ch) => chars.indexOf(ch));
    const losses = async (on: boolean): Promise<number[]> => {
      const model = new GPT({ ...presets.baby.model, vocabSize: chars.length }, { seed: 1337 });
      const trainer = new Trainer({
        model,
        config: { ...presets.baby.train, maxIters: 20, evalInterval: 1000 },
        data: { train: [ids.subarray(0, 2800)], val: [ids.subarray(2800)] },
      });
      const saved = process.env.LLMLAB_FUSED;
      process.env.LLMLAB_FUSED = on ? "1" : "0";
      try {
        await trainer.run({ iters: 20 });
      } finally {
        if (saved === undefined) delete process.env.LLMLAB_FUSED;
        else process.env.LLMLAB_FUSED = saved;
      }
      model.dispose();
      return trainer.history.map((s) => s.loss);
    };
    const fused = await losses(true),
      plain = await losses(false);
    expect(fused).toHaveLength(20);
    expect(plain[19]).toBeLessThan(plain[0] - 0.3); // it learns, so the comparison is not of two flat lines
    for (let i = 0; i < 20; i++) expect(Math.abs(fused[i] - plain[i])).toBeLessThan(1e-4);
    // The native work goes to whichever thread is free (sequences, and weight gradients as tasks
    // that any of the workers may take), yet every sum runs in a fixed order: the run repeats to
    // the bit on two threads, on four (three workers, more threads than cores here) and on one.
    const addon = loadGemmAddon().addon!;
    const threads = addon.info().threads;
    try {
      for (const n of [2, 4, 1]) {
        addon.setThreads(n);
        expect(await losses(true)).toEqual(fused);
      }
    } finally {
      addon.setThreads(threads);
    }
  });
});
