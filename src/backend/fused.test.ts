// The fused ops (layer norm, GELU, causal softmax, softmax cross-entropy): on the fast wasm
// backend (SIMD kernels) against the same ops on 'cpu', which run them as tfjs ops, values
// and gradients; gradients of the fused path against central finite differences too.
import * as tf from "@tensorflow/tfjs-core";
import { initBackend, fused } from "./index";
import { on, randn, worstDiff } from "./testing/compare";
import { findSimdWasm, loadSimd } from "./simd";

const rand = randn;

/** The op's value and the gradient of sum(w * op(inputs)) for each float input. */
type Case = {
  name: string;
  kernel: string;
  inputs: () => tf.Tensor[];
  op: (...xs: tf.Tensor[]) => tf.Tensor;
  diff: number[];
};

const CASES: Case[] = [
  {
    name: "layerNorm with beta, C = 12",
    kernel: "LlmlabLayerNorm",
    inputs: () => [
      tf.tensor(rand([5, 12], 1, 3), [5, 12]),
      tf.tensor(rand([12], 2), [12]),
      tf.tensor(rand([12], 3), [12]),
    ],
    op: (x, g, b) => fused.layerNorm(x, g as tf.Tensor1D, b as tf.Tensor1D),
    diff: [0, 1, 2],
  },
  {
    name: "layerNorm without beta, rank 3",
    kernel: "LlmlabLayerNorm",
    inputs: () => [tf.tensor(rand([2, 3, 8], 4), [2, 3, 8]), tf.tensor(rand([8], 5), [8])],
    op: (x, g) => fused.layerNorm(x, g as tf.Tensor1D),
    diff: [0, 1],
  },
  {
    name: "GELU over 4n + 3 values, |x| up to ~12",
    kernel: "LlmlabGelu",
    inputs: () => [tf.tensor(rand([7, 11], 6, 4), [7, 11])],
    op: (x) => fused.gelu(x),
    diff: [0],
  },
  {
    name: "causal softmax [2, 3, 7, 7] (rows seeing 1..7 keys)",
    kernel: "LlmlabCausalSoftmax",
    inputs: () => [tf.tensor(rand([2, 3, 7, 7], 7, 3), [2, 3, 7, 7])],
    op: (s) => fused.causalSoftmax(s, 0.35),
    diff: [0],
  },
  {
    name: "causal softmax after 5 cached positions [2, 3, 9]",
    kernel: "LlmlabCausalSoftmax",
    inputs: () => [tf.tensor(rand([2, 3, 9], 8, 3), [2, 3, 9])],
    op: (s) => fused.causalSoftmax(s, 1.0, 6),
    diff: [0],
  },
  {
    name: "softmax cross-entropy [6, 65]",
    kernel: "LlmlabSoftmaxCrossEntropy",
    inputs: () => [tf.tensor(rand([6, 65], 9, 4), [6, 65]), tf.tensor1d([0, 64, 3, 17, 17, 40], "int32")],
    op: (z, y) => fused.softmaxCrossEntropy(z as tf.Tensor2D, y as tf.Tensor1D),
    diff: [0],
  },
  {
    name: "softmax cross-entropy [5, 3] (rows shorter than a SIMD vector), logits ~ +-60",
    kernel: "LlmlabSoftmaxCrossEntropy",
    inputs: () => [tf.tensor(rand([5, 3], 10, 30), [5, 3]), tf.tensor1d([2, 0, 1, 1, 0], "int32")],
    op: (z, y) => fused.softmaxCrossEntropy(z as tf.Tensor2D, y as tf.Tensor1D),
    diff: [0],
  },
];

function valueAndGrads(c: Case): () => tf.Tensor[] {
  return () => {
    const xs = c.inputs();
    const y = c.op(...xs);
    const w = tf.tensor(rand(y.shape, 42), y.shape);
    const f = (...d: tf.Tensor[]) =>
      tf.sum(tf.mul(c.op(...xs.map((x, i) => (c.diff.includes(i) ? d[c.diff.indexOf(i)] : x))), w));
    return [y, ...tf.grads(f)(c.diff.map((i) => xs[i]))];
  };
}

describe("fused ops", () => {
  test("the SIMD module is built (npm run build) and the fast wasm backend uses it", async () => {
    expect(findSimdWasm()).not.toBeNull();
    const choice = await initBackend({ prefer: "wasm-noaddon" });
    expect(choice.detail).toMatch(/fused layer norm, GELU, softmax/);
  });

  test.each(CASES)("$name: fused kernel on wasm = tfjs ops on cpu, values and gradients", async (c) => {
    const ref = await on("cpu", valueAndGrads(c));
    expect(fused.isFused(c.kernel)).toBe(false); // cpu ran the composite
    const got = await on("wasm-noaddon", valueAndGrads(c));
    expect(fused.isFused(c.kernel)).toBe(true);
    // float32 rounding and A&S erf / Cephes exp (both ~1e-7): 2e-6 is ~20 float32 epsilons.
    got.forEach((g, i) => expect(worstDiff(g, ref[i])).toBeLessThan(2e-6));
  });

  test.each(CASES)("$name: fused gradient = central finite differences", async (c) => {
    await initBackend({ prefer: "wasm-noaddon" });
    const xs = c.inputs();
    const y0 = c.op(...xs);
    const w = tf.tensor(rand(y0.shape, 42), y0.shape);
    const loss = (ys: tf.Tensor[]): number => tf.tidy(() => tf.sum(tf.mul(c.op(...ys), w)).dataSync()[0]);
    const grads = tf.grads((...d: tf.Tensor[]) =>
      tf.sum(tf.mul(c.op(...xs.map((x, i) => (c.diff.includes(i) ? d[c.diff.indexOf(i)] : x))), w)),
    )(c.diff.map((i) => xs[i]));
    c.diff.forEach((xi, gi) => {
      const base = xs[xi].dataSync() as Float32Array,
        g = grads[gi].dataSync();
      const h = 1e-2; // float32: a larger step trades truncation error for less rounding noise
      for (let k = 0; k < base.length; k += Math.max(1, Math.floor(base.length / 12))) {
        const at = (delta: number) => {
          const v = Float32Array.from(base);
          v[k] += delta;
          const t = tf.tensor(v, xs[xi].shape);
          const r = loss(xs.map((x, i) => (i === xi ? t : x)));
          t.dispose();
          return r;
        };
        const fd = (at(h) - at(-h)) / (2 * h);
        expect(Math.abs(fd - g[k])).toBeLessThan(2e-3 * Math.max(1, Math.abs(g[k])));
      }
    });
    tf.dispose([...xs, y0, w, ...grads]);
  });

  test("future keys get probability exactly 0 and rows sum to 1", async () => {
    const [p] = await on("wasm-noaddon", () => [fused.causalSoftmax(tf.tensor(rand([1, 6, 6], 11, 5), [1, 6, 6]), 1)]);
    for (let i = 0; i < 6; i++) {
      let sum = 0;
      for (let j = 0; j < 6; j++) {
        if (j > i) expect(p[i * 6 + j]).toBe(0);
        sum += p[i * 6 + j];
      }
      expect(sum).toBeCloseTo(1, 6);
    }
  });

  test("NaN in propagates to the output (so the trainer's NaN check sees it)", async () => {
    const [g, s, l] = await on("wasm-noaddon", () => [
      fused.gelu(tf.tensor1d([1, NaN, 2, 3, 4])),
      fused.causalSoftmax(
        tf.tensor2d([
          [NaN, 0],
          [0, 1],
        ]),
        1,
      ),
      fused.layerNorm(tf.tensor2d([[1, 2, NaN, 4]]), tf.ones([4]) as tf.Tensor1D),
    ]);
    expect(Number.isNaN(g[1])).toBe(true);
    expect(Number.isNaN(s[0])).toBe(true);
    expect(Number.isNaN(l[0])).toBe(true);
  });

  test("sumOfSquares: the SIMD pass over tensors where they lie = float64 by hand, and = tfjs ops on cpu", async () => {
    const sizes = [5, 4099, 12, 1];
    const data = sizes.map((n, i) => rand([n], 20 + i, 3));
    const byHand = data.reduce((s, d) => s + d.reduce((a, x) => a + Math.fround(x) ** 2, 0), 0);
    await initBackend({ prefer: "wasm-noaddon" });
    expect(fused.isFused("LlmlabLayerNorm")).toBe(true);
    const onWasm = fused.sumOfSquares(data.map((d) => tf.tensor1d(d)));
    expect(Math.abs(onWasm - byHand) / byHand).toBeLessThan(1e-6);
    const [onCpu] = await on("cpu", () => [tf.scalar(fused.sumOfSquares(data.map((d) => tf.tensor1d(d))))]);
    expect(Math.abs(onCpu[0] - byHand) / byHand).toBeLessThan(1e-6);
    expect(fused.sumOfSquares([])).toBe(0);
    expect(() => fused.sumOfSquares([tf.tensor1d([1], "int32")])).toThrow(/expected float32 tensors, got int32/);
  });

  test("bad input is named", async () => {
    await initBackend({ prefer: "wasm-noaddon" });
    expect(() => fused.causalSoftmax(tf.zeros([2, 3, 4]), 1)).toThrow(/must end in \[T, past \+ T\]/);
    expect(() => fused.softmaxCrossEntropy(tf.zeros([2, 5]) as tf.Tensor2D, tf.tensor1d([0, 7], "int32"))).toThrow(
      /label 7 at row 1 is not in \[0, 5\)/,
    );
    expect(() => fused.softmaxCrossEntropy(tf.zeros([2, 5]) as tf.Tensor2D, tf.tensor1d([0, 1], "float32"))).toThrow(
      /labels must be int32/,
    );
  });
});

test("without the backend's memory the SIMD module is not loaded, and says why", () => {
  const s = loadSimd({ wasm: {} } as unknown as Parameters<typeof loadSimd>[0]);
  expect(s.kernels).toBeNull();
  expect(s.reason).toMatch(/does not export its memory/);
});
