import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { createAdamW } from "./adamw";
import { ADAMW_KERNEL } from "./kernels/adamw";
import { initBackend } from "./index";

// AdamW by hand (PyTorch's torch.optim.AdamW), in float64, one parameter element at a time.
function adamwByHand(
  p: number[],
  grads: number[][],
  o: { lr: number; b1: number; b2: number; eps: number; wd: number },
): number[] {
  const m = p.map(() => 0),
    v = p.map(() => 0),
    x = [...p];
  grads.forEach((g, s) => {
    const t = s + 1;
    for (let i = 0; i < x.length; i++) {
      x[i] *= 1 - o.lr * o.wd;
      m[i] = o.b1 * m[i] + (1 - o.b1) * g[i];
      v[i] = o.b2 * v[i] + (1 - o.b2) * g[i] * g[i];
      const mhat = m[i] / (1 - o.b1 ** t),
        vhat = v[i] / (1 - o.b2 ** t);
      x[i] -= (o.lr * mhat) / (Math.sqrt(vhat) + o.eps);
    }
  });
  return x;
}

const P0 = [0.5, -1.25, 2, 0.1, -0.3, 0.75];
const G = [
  [0.1, -0.2, 0.3, 0.05, 0.0, -1],
  [-0.4, 0.2, 0.1, 0.5, 0.25, 0.3],
  [0.3, 0.3, -0.3, -0.1, 0.2, 0.1],
];
const OPTS = { lr: 0.01, b1: 0.9, b2: 0.95, eps: 1e-8, wd: 0.1 };

async function run(
  backend: string,
  fused: boolean,
  gradScale = 1,
  o = OPTS,
): Promise<{ w: Float32Array; b: Float32Array }> {
  await initBackend({ prefer: backend });
  const opt = createAdamW({ lr: o.lr, beta1: o.b1, beta2: o.b2, eps: o.eps, weightDecay: o.wd, fused });
  expect(tf.getKernel(ADAMW_KERNEL, tf.getBackend())).toBeDefined(); // so fused=true really runs the kernel
  const vars = { w: tf.variable(tf.tensor2d(P0, [2, 3])), b: tf.variable(tf.tensor1d(P0)) };
  for (const g of G) opt.step({ w: tf.tensor2d(g, [2, 3]), b: tf.tensor1d(g) }, vars, o.lr, gradScale);
  return { w: vars.w.dataSync() as Float32Array, b: vars.b.dataSync() as Float32Array };
}

/** Each backend with the fused kernel and with the update as tfjs ops. */
const PATHS = [
  ["cpu", true],
  ["cpu", false],
  ["wasm", true],
  ["wasm", false],
] as const;

describe("fused AdamW", () => {
  const decayed = adamwByHand(P0, G, OPTS);
  const undecayed = adamwByHand(P0, G, { ...OPTS, wd: 0 });

  test.each(PATHS)(
    "%s (fused=%s) equals AdamW by hand over 3 steps; decay only on matrices by default",
    async (backend, fused) => {
      const { w, b } = await run(backend, fused);
      w.forEach((x, i) => expect(x).toBeCloseTo(decayed[i], 6));
      b.forEach((x, i) => expect(x).toBeCloseTo(undecayed[i], 6));
    },
  );

  // Global-norm clipping hands AdamW its factor instead of scaled copies of the gradients.
  test.each(PATHS)(
    "%s (fused=%s) with gradScale 0.37 equals AdamW by hand on gradients times 0.37",
    async (backend, fused) => {
      // Adam is invariant to the gradients' scale but for eps: a large eps makes the scale show.
      const o = { ...OPTS, eps: 0.05 };
      const scaled = G.map((g) => g.map((x) => x * 0.37));
      const decayedScaled = adamwByHand(P0, scaled, o),
        undecayedScaled = adamwByHand(P0, scaled, { ...o, wd: 0 });
      const { w, b } = await run(backend, fused, 0.37, o);
      w.forEach((x, i) => expect(x).toBeCloseTo(decayedScaled[i], 6));
      b.forEach((x, i) => expect(x).toBeCloseTo(undecayedScaled[i], 6));
      const unscaled = adamwByHand(P0, G, o); // what ignoring gradScale would give
      expect(Math.max(...Array.from(w, (x, i) => Math.abs(x - unscaled[i])))).toBeGreaterThan(1e-4);
    },
  );

  test("a parameter of 40,200 floats and one of 3 (SIMD tails), with gradScale: 'wasm' equals 'cpu'", async () => {
    const sizes = [40_200, 3];
    const values = (seed: number, n: number) =>
      Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 7919 + i * 0.37));
    const result = async (backend: string) => {
      await initBackend({ prefer: backend });
      const opt = createAdamW({ lr: 0.01, weightDecay: 0.1, decay: (name) => name === "a" });
      const vars = {
        a: tf.variable(tf.tensor1d(values(1, sizes[0]))),
        b: tf.variable(tf.tensor1d(values(2, sizes[1]))),
      };
      for (let s = 0; s < 3; s++)
        opt.step(
          { a: tf.tensor1d(values(10 + s, sizes[0])), b: tf.tensor1d(values(20 + s, sizes[1])) },
          vars,
          0.01,
          0.8,
        );
      return [vars.a.dataSync(), vars.b.dataSync()].map((x) => Float32Array.from(x));
    };
    const want = await result("cpu"),
      got = await result("wasm");
    got.forEach((g, k) => g.forEach((x, i) => expect(Math.abs(x - want[k][i])).toBeLessThan(2e-6)));
  });

  test("state export/import resumes exactly", async () => {
    await initBackend({ prefer: "cpu" });
    const mk = () => ({ w: tf.variable(tf.tensor2d(P0, [2, 3])) });
    const straight = createAdamW({ lr: 0.01, weightDecay: 0.1 }),
      va = mk();
    for (const g of G) straight.step({ w: tf.tensor2d(g, [2, 3]) }, va);
    const first = createAdamW({ lr: 0.01, weightDecay: 0.1 }),
      vb = mk();
    first.step({ w: tf.tensor2d(G[0], [2, 3]) }, vb);
    const state = first.exportState();
    expect(state.step).toBe(1);
    expect(state.m.w).toBeInstanceOf(Float32Array);
    const resumed = createAdamW({ lr: 0.01, weightDecay: 0.1 });
    resumed.importState(state);
    for (const g of G.slice(1)) resumed.step({ w: tf.tensor2d(g, [2, 3]) }, vb);
    expect(Array.from(vb.w.dataSync())).toEqual(Array.from(va.w.dataSync()));
  });

  test("bad input is a clear error", async () => {
    await initBackend({ prefer: "cpu" });
    expect(() => createAdamW({ lr: -1 })).toThrow(/lr must be/);
    const opt = createAdamW({ lr: 0.1 });
    const v = { w: tf.variable(tf.zeros([2])) };
    expect(() => opt.step({ x: tf.zeros([2]) }, v)).toThrow(/'x' has no variable/);
    expect(() => opt.step({ w: tf.zeros([3]) }, v)).toThrow(/shape \[3\], variable has \[2\]/);
    expect(() => opt.step({ w: tf.zeros([2]) }, v, 0.1, NaN)).toThrow(/gradScale must be/);
    expect(() => opt.importState({ step: 1, m: { w: new Float32Array(2) }, v: {} })).toThrow(/moments for 'w'/);
  });
});
