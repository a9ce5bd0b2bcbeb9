import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../backend";
import {
  GPT,
  PositionalEncoding,
  generate,
  causalMaskLeak,
  logitsOf,
  paramShapes,
  gptConfig,
  trainingFlopsPerToken,
} from ".";

beforeAll(async () => {
  await initBackend();
});

const tiny = (positional: PositionalEncoding, extra: object = {}): GPT =>
  new GPT(
    { vocabSize: 13, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 16, bias: true, positional, ...extra },
    { seed: 7 },
  );

const encodings: PositionalEncoding[] = ["learned", "sinusoidal", "rope"];

describe.each(encodings)("GPT with %s positions", (positional) => {
  test("causal mask: changing tokens after t leaves logits at <= t exactly unchanged", () => {
    const m = tiny(positional);
    const tokens = [3, 1, 4, 1, 5, 9, 2, 6];
    for (let t = 0; t < tokens.length - 1; t++) expect(causalMaskLeak(m, tokens, t)).toBe(0);
    // ...while changing a token at or before t does change them (the check can fail).
    const a = logitsOf(m, tokens);
    const b = logitsOf(m, [3, 1, 4, 7, 5, 9, 2, 6]);
    expect(Math.max(...a[4].map((v, i) => Math.abs(v - b[4][i])))).toBeGreaterThan(0);
    m.dispose();
  });

  test("KV-cache generation equals full recomputation, also past blockSize", () => {
    const m = tiny(positional);
    for (const opts of [{ temperature: 0 }, { temperature: 1.3, seed: 5 }, { topK: 4, topP: 0.9, seed: 9 }]) {
      const cached = generate(m, [1, 2, 3], { maxNewTokens: 14, ...opts });
      const full = generate(m, [1, 2, 3], { maxNewTokens: 14, ...opts, useCache: false });
      expect(cached).toEqual(full);
      expect(cached.length).toBe(17);
    }
    m.dispose();
  });

  test("incremental logits with a KV cache match the full forward pass", () => {
    const m = tiny(positional);
    const tokens = [5, 0, 12, 7, 7, 3];
    const full = logitsOf(m, tokens);
    const last = tf
      .tidy(() => {
        const presents: { k: tf.Tensor4D; v: tf.Tensor4D }[] = [];
        m.forward(tf.tensor2d([tokens.slice(0, 5)], [1, 5], "int32"), { presents });
        return m.forward(tf.tensor2d([[tokens[5]]], [1, 1], "int32"), { past: presents });
      })
      .dataSync();
    for (let v = 0; v < 13; v++) expect(last[v]).toBeCloseTo(full[5][v], 5);
    m.dispose();
  });

  test("gradient of every parameter tensor matches central finite differences", () => {
    const m = tiny(positional);
    const idx = tf.tensor2d(
      [
        [1, 2, 3, 4, 5, 6],
        [7, 8, 9, 10, 11, 12],
      ],
      [2, 6],
      "int32",
    );
    const tgt = tf.tensor2d(
      [
        [2, 3, 4, 5, 6, 7],
        [8, 9, 10, 11, 12, 0],
      ],
      [2, 6],
      "int32",
    );
    const { grads } = tf.variableGrads(() => m.loss(idx, tgt), Object.values(m.params));
    // Directional derivative of the loss along a fixed pseudo-random direction d, per tensor.
    // float32 tolerance: eps 1e-3 keeps the O(eps^2) truncation error well under 1% (weights
    // are ~0.02, so a bigger step is no longer "small"), and the loss's rounding (~2.5e-7)
    // over 2·eps adds at most ~3e-4 absolute; hence |numeric - analytic| <= 1%·|analytic| + 5e-4.
    const eps = 1e-3;
    Object.values(m.params).forEach((v, i) => {
      const x0 = v.dataSync().slice();
      const d = Float32Array.from({ length: v.size }, (_, j) => Math.sin(12.9898 * j + 78.233 * i));
      const g = grads[v.name].dataSync<"float32">();
      const analytic = g.reduce((s, gj, j) => s + gj * d[j], 0);
      const lossAt = (sign: number): number => {
        v.assign(
          tf.tensor(
            x0.map((x, j) => x + sign * eps * d[j]),
            v.shape,
          ),
        );
        return m.loss(idx, tgt).dataSync()[0];
      };
      const numeric = (lossAt(1) - lossAt(-1)) / (2 * eps);
      v.assign(tf.tensor(x0, v.shape));
      expect({ name: v.name, err: Math.abs(numeric - analytic) < 1e-2 * Math.abs(analytic) + 5e-4 }).toEqual({
        name: v.name,
        err: true,
      });
    });
    m.dispose();
  });
});

test("parameter count of nanoGPT's baby GPT, worked by hand", () => {
  // per layer: ln_1 128 + c_attn 128·384 + c_proj 128·128 + ln_2 128 + c_fc 128·512 + c_proj 512·128
  const perLayer = 128 + 49152 + 16384 + 128 + 65536 + 65536;
  const cfg = gptConfig({ vocabSize: 65, blockSize: 64, nLayer: 4, nHead: 4, nEmbd: 128 });
  const total = paramShapes(cfg).reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);
  expect(total).toBe(4 * perLayer + 65 * 128 + 64 * 128 + 128);
  const m = new GPT(cfg);
  expect(m.paramCount()).toBe(total);
  expect(m.paramCount({ nonEmbedding: true })).toBe(total - 64 * 128); // nanoGPT prints 0.80M
  // 6N + 12·L·H·Q·T (nanoGPT's estimate_mfu)
  expect(m.flopsPerToken()).toBe(6 * (total - 8192) + 12 * 4 * 4 * 32 * 64);
  expect(trainingFlopsPerToken(cfg)).toBe(m.flopsPerToken());
  // ...which is the step's matmul FLOPs per token (3x the forward's 2·m·n·k: c_attn, q k^T and
  // P v over T keys, c_proj, c_fc, mlp c_proj, the tied head), plus 6 per LayerNorm gain.
  const [C, T, V, L] = [128, 64, 65, 4];
  const matmuls = 3 * (L * (2 * C * 3 * C + 2 * 2 * T * C + 2 * C * C + 2 * 2 * C * 4 * C) + 2 * C * V);
  expect(trainingFlopsPerToken(cfg)).toBe(matmuls + 6 * (2 * L + 1) * C);
  m.dispose();
});

test("GPT-2 init: std 0.02, residual projections 0.02/sqrt(2·nLayer), gains 1, biases 0", () => {
  const m = new GPT({ vocabSize: 500, blockSize: 8, nLayer: 8, nHead: 4, nEmbd: 64, bias: true }, { seed: 3 });
  const std = (name: string): number => {
    const d = m.params[name].dataSync<"float32">();
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    return Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length);
  };
  expect(std("wte")).toBeCloseTo(0.02, 3);
  expect(std("h.0.mlp.c_fc.weight")).toBeCloseTo(0.02, 3);
  expect(std("h.3.mlp.c_proj.weight") / (0.02 / 4)).toBeCloseTo(1, 1);
  expect(std("h.3.attn.c_proj.weight") / (0.02 / 4)).toBeCloseTo(1, 1);
  expect(Array.from(m.params["h.1.ln_1.weight"].dataSync()).every((v) => v === 1)).toBe(true);
  expect(Array.from(m.params["h.1.attn.c_attn.bias"].dataSync()).every((v) => v === 0)).toBe(true);
  m.dispose();
});

test("bad configs are rejected with the field's name", () => {
  expect(() => gptConfig({ vocabSize: 10, nEmbd: 30, nHead: 4 })).toThrow(/divisible by nHead/);
  expect(() => gptConfig({ vocabSize: 0 })).toThrow(/vocabSize/);
  expect(() => gptConfig({ vocabSize: 10, dropout: 1 })).toThrow(/dropout/);
  const m = tiny("learned");
  expect(() => tf.tidy(() => m.forward(tf.zeros([1, 9], "int32")))).toThrow(/exceeds blockSize 8/);
  m.dispose();
});
