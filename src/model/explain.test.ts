import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../backend";
import { attentionStepByStep, shuffleTest, GPT, CharLSTM, attentionWeights } from ".";

beforeAll(async () => {
  await initBackend();
});

test("attention step by step: causal softmax rows, and output = weights · v recomputed by hand", () => {
  const s = attentionStepByStep("the cat sat on the mat".split(" "), { nEmbd: 8, nHead: 2, seed: 1 });
  const T = 6;
  const D = 4;
  expect(s.shapes.scores).toEqual([2, T, T]);
  for (let h = 0; h < 2; h++) {
    for (let i = 0; i < T; i++) {
      expect(s.weights[h][i].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      for (let j = i + 1; j < T; j++) expect(s.weights[h][i][j]).toBe(0);
      // softmax over the visible scores, by hand
      const vis = s.scores[h][i].slice(0, i + 1);
      const z = vis.reduce((a, b) => a + Math.exp(b), 0);
      vis.forEach((sc, j) => expect(s.weights[h][i][j]).toBeCloseTo(Math.exp(sc) / z, 5));
      // q·k / sqrt(D) for one pair
      const qk = Array.from({ length: D }, (_, d) => s.q[i][h * D + d] * s.k[0][h * D + d]).reduce((a, b) => a + b, 0);
      expect(s.scores[h][i][0]).toBeCloseTo(qk / Math.sqrt(D), 4);
      for (let d = 0; d < D; d++) {
        const want = s.weights[h][i].reduce((acc, w, j) => acc + w * s.v[j][h * D + d], 0);
        expect(s.output[i][h * D + d]).toBeCloseTo(want, 4);
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
  const x = tf.tensor2d([[1, 2, 3, 4], [5, 6, 7, 8]], [2, 4], "int32");
  expect(m.forward(x).shape).toEqual([2, 4, 12]);
  expect(m.loss(x, x).dataSync()[0]).toBeCloseTo(Math.log(12), 0);
  // embedding 12·8 + LSTM 4·16·(8+16+1) + dense 16·12+12
  expect(m.paramCount()).toBe(96 + 4 * 16 * 25 + 204);
  m.dispose();
});
