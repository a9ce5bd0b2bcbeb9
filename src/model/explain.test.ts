import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../backend";
import { shuffleTest, GPT, CharLSTM, attentionWeights, causalSelfAttention, Rng } from ".";

beforeAll(async () => {
  await initBackend();
});

test("causal self-attention against the formula by hand: causal softmax rows, output = weights · v", () => {
  const [T, C, H, D] = [6, 8, 2, 4];
  const rng = new Rng(1);
  const x = Array.from({ length: T }, () => Array.from({ length: C }, () => rng.normal()));
  const w = Array.from({ length: C }, () => Array.from({ length: 3 * C }, () => rng.normal() / Math.sqrt(C)));
  let y: number[][] = [];
  let att: number[][][] = [];
  tf.tidy(() => {
    const lin = (name: string, weight: tf.Tensor2D) => ({ name, weight });
    const r = causalSelfAttention(
      tf.tensor2d(x),
      { c_attn: lin("c_attn", tf.tensor2d(w)), c_proj: lin("c_proj", tf.eye(C)) },
      { B: 1, T, nHead: H },
    );
    y = r.y.arraySync();
    att = r.att.arraySync()[0];
  });
  const qkv = x.map((row) => Array.from({ length: 3 * C }, (_, j) => row.reduce((s, xc, c) => s + xc * w[c][j], 0)));
  const [q, k, v] = [0, 1, 2].map((part) => (t: number, h: number, d: number) => qkv[t][part * C + h * D + d]);
  for (let h = 0; h < H; h++) {
    for (let i = 0; i < T; i++) {
      const scores = Array.from(
        { length: i + 1 },
        (_, j) =>
          Array.from({ length: D }, (_, d) => q(i, h, d) * k(j, h, d)).reduce((a, b) => a + b, 0) / Math.sqrt(D),
      );
      const z = scores.reduce((a, sc) => a + Math.exp(sc), 0);
      scores.forEach((sc, j) => expect(att[h][i][j]).toBeCloseTo(Math.exp(sc) / z, 5));
      for (let j = i + 1; j < T; j++) expect(att[h][i][j]).toBe(0);
      for (let d = 0; d < D; d++) {
        const want = scores.reduce((acc, sc, j) => acc + (Math.exp(sc) / z) * v(j, h, d), 0);
        expect(y[i][h * D + d]).toBeCloseTo(want, 4);
      }
    }
  }
});

test("shuffle test: one layer without positions is order-blind; positions (or depth) see order", () => {
  const tokens = [1, 5, 2, 7, 3, 3, 9, 4];
  const cfg = { vocabSize: 10, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 16 };
  const none = new GPT({ ...cfg, positional: "none" }, { seed: 1 });
  const sin = new GPT({ ...cfg, nLayer: 2, positional: "sinusoidal" }, { seed: 1 });
  const deep = new GPT({ ...cfg, nLayer: 2, positional: "none" }, { seed: 1 });
  // At GPT-2 init (std 0.02) attention is almost uniform and nothing sees order; use
  // weights as large as a trained model's so that the differences show.
  for (const m of [none, sin, deep]) {
    Object.entries(m.params).forEach(([, v], i) => {
      if (v.rank === 2) v.assign(tf.randomNormal(v.shape, 0, 0.5, "float32", i));
    });
  }
  expect(shuffleTest(none, tokens, 3)).toBeLessThan(1e-4);
  expect(shuffleTest(sin, tokens, 3)).toBeGreaterThan(1e-2);
  // the causal mask itself leaks order into the second layer (Haviv et al. 2022)
  expect(shuffleTest(deep, tokens, 3)).toBeGreaterThan(1e-3);
  deep.dispose();
  const att = attentionWeights(sin, tokens);
  expect(att.length).toBe(2);
  expect(att[0].length).toBe(2);
  expect(att[1][0][3].slice(4).every((w) => w === 0)).toBe(true);
  none.dispose();
  sin.dispose();
});

test("char LSTM baseline: logits shape and initial loss near ln(vocab)", () => {
  const m = new CharLSTM({ vocabSize: 12, nEmbd: 8, units: 16, seed: 1 });
  const x = tf.tensor2d(
    [
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ],
    [2, 4],
    "int32",
  );
  expect(m.forward(x).shape).toEqual([2, 4, 12]);
  expect(m.loss(x, x).dataSync()[0]).toBeCloseTo(Math.log(12), 0);
  // embedding 12·8 + LSTM 4·16·(8+16+1) + dense 16·12+12
  expect(m.paramCount()).toBe(96 + 4 * 16 * 25 + 204);
  m.dispose();
});
