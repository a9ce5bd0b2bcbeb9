import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../backend";
import { createAdamW, clipScale, globalNorm } from ".";

beforeAll(async () => {
  await initBackend();
});

/** Reference AdamW in float64, written from the paper's Algorithm 2 (PyTorch's ordering). */
function referenceAdamW(
  p: number[],
  grads: number[][],
  o: { lr: number; b1: number; b2: number; eps: number; wd: number },
): number[] {
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  let x = p.slice();
  grads.forEach((g, k) => {
    const t = k + 1;
    x = x.map((xi, i) => {
      xi *= 1 - o.lr * o.wd;
      m[i] = o.b1 * m[i] + (1 - o.b1) * g[i];
      v[i] = o.b2 * v[i] + (1 - o.b2) * g[i] * g[i];
      const mhat = m[i] / (1 - o.b1 ** t);
      const vhat = v[i] / (1 - o.b2 ** t);
      return xi - (o.lr * mhat) / (Math.sqrt(vhat) + o.eps);
    });
  });
  return x;
}

test("first step moves each weight by lr·sign(g) (bias correction), plus decoupled decay", () => {
  const opt = createAdamW({ lr: 0.1, weightDecay: 0.5, decay: (n) => n === "w" });
  const vars = { w: tf.variable(tf.tensor1d([1, -2, 3])), b: tf.variable(tf.tensor1d([1, 1])) };
  opt.step({ w: tf.tensor1d([0.3, -4, 0]), b: tf.tensor1d([2, -1e-3]) }, vars, 0.1);
  // w: 1·(1 - 0.05) - 0.1·sign(g); g = 0 leaves only the decay. b: not decayed.
  const w = vars.w.dataSync();
  expect(w[0]).toBeCloseTo(0.95 - 0.1, 6);
  expect(w[1]).toBeCloseTo(-1.9 + 0.1, 6);
  expect(w[2]).toBeCloseTo(2.85, 6);
  const b = vars.b.dataSync();
  expect(b[0]).toBeCloseTo(0.9, 5);
  expect(b[1]).toBeCloseTo(1 + 0.1 * (1e-3 / (1e-3 + 1e-8)), 5);
});

test("matches a float64 reference over 20 steps", () => {
  const o = { lr: 0.01, b1: 0.9, b2: 0.99, eps: 1e-8, wd: 0.1 };
  const p0 = [0.5, -0.25, 1.5, 0.01];
  const grads = Array.from({ length: 20 }, (_, k) => p0.map((_, i) => Math.sin(k * 1.7 + i) * (i + 1)));
  // The reference decays every parameter; the default mask would skip this rank-1 one.
  const opt = createAdamW({ lr: o.lr, beta1: o.b1, beta2: o.b2, eps: o.eps, weightDecay: o.wd, decay: () => true });
  const vars = { p: tf.variable(tf.tensor1d(p0)) };
  for (const g of grads) opt.step({ p: tf.tensor1d(g) }, vars, o.lr);
  const want = referenceAdamW(p0, grads, o);
  Array.from(vars.p.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
});

test("state export/import continues identically", () => {
  const g = (k: number): Record<string, tf.Tensor> => ({
    p: tf.tensor2d([
      [Math.cos(k), -1],
      [0.5, k],
    ]),
  });
  const a = createAdamW({ lr: 0.01, weightDecay: 0.1 });
  const va = {
    p: tf.variable(
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
    ),
  };
  for (let k = 0; k < 6; k++) a.step(g(k), va, 0.01);
  const b = createAdamW({ lr: 0.01, weightDecay: 0.1 });
  const vb = {
    p: tf.variable(
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
    ),
  };
  for (let k = 0; k < 3; k++) b.step(g(k), vb, 0.01);
  const c = createAdamW({ lr: 0.01, weightDecay: 0.1 });
  c.importState(b.exportState());
  for (let k = 3; k < 6; k++) c.step(g(k), vb, 0.01);
  expect(Array.from(vb.p.dataSync())).toEqual(Array.from(va.p.dataSync()));
  expect(c.exportState().step).toBe(6);
});

test("global-norm clipping: the factor is maxNorm/||g|| only when ||g|| is above it (and 1 without clipping)", () => {
  const g = { a: tf.tensor1d([3, 0]), b: tf.tensor2d([[0, 4]]) }; // ||g|| = 5
  expect(globalNorm(g)).toBeCloseTo(5, 6);
  expect(clipScale(5, 1)).toBeCloseTo(0.2, 6);
  expect(clipScale(5, 10)).toBe(1);
  expect(clipScale(5, 0)).toBe(1);
  expect(clipScale(0, 1)).toBe(1);
});
