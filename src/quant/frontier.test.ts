// The GPT adapter and the frontier on a toy GPT-2-named tfjs model (one block, no attention
// mixing: enough to exercise capture, per-step calibration, variants and restore).
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { compareMethods } from "./compare";
import { errorHistogramFigure, frontierFigure, histogram } from "./figures";
import {
  CapturingGPT,
  ForwardCapture,
  captureLayerInputs,
  gptQuantTarget,
  layerWeight,
  randomWindows,
} from "./gpt-target";
import { FRONTIER_KEYS, quantisationFrontier } from "./frontier";
import { correlatedInputs, randomMatrix, weightLikeMatrix } from "./random-matrices";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

function toyGPT(withCapture = true, C = 32): CapturingGPT {
  const V = 11,
    T = 8;
  const v = (m: { data: Float32Array }, shape: [number, number]) => tf.variable(tf.tensor2d(m.data, shape));
  const params: Record<string, tf.Variable> = {
    wte: v(randomMatrix(V, C, 1, 0.2), [V, C]),
    "h.0.attn.c_attn.weight": v(randomMatrix(C, 3 * C, 2, 0.3), [C, 3 * C]),
    "h.0.attn.c_proj.weight": v(randomMatrix(C, C, 3, 0.3), [C, C]),
    "h.0.mlp.c_fc.weight": v(randomMatrix(C, 4 * C, 4, 0.3), [C, 4 * C]),
    "h.0.mlp.c_proj.weight": v(randomMatrix(4 * C, C, 5, 0.2), [4 * C, C]),
  };
  const p = params as Record<string, tf.Tensor2D>;
  return {
    config: { nLayer: 1, vocabSize: V, blockSize: T },
    params,
    forward(idx: tf.Tensor2D, opts: ForwardCapture = {}) {
      const cap = withCapture ? opts.capture : undefined;
      const [B, Tn] = idx.shape;
      let x = tf.gather(p.wte, tf.reshape(idx, [B * Tn])) as tf.Tensor2D;
      cap?.("h.0.attn.c_attn.weight", x);
      const a = tf.slice(tf.tanh(tf.matMul(x, p["h.0.attn.c_attn.weight"])), [0, 0], [-1, C]) as tf.Tensor2D;
      cap?.("h.0.attn.c_proj.weight", a);
      x = tf.add(x, tf.matMul(a, p["h.0.attn.c_proj.weight"]));
      cap?.("h.0.mlp.c_fc.weight", x);
      const h = tf.tanh(tf.matMul(x, p["h.0.mlp.c_fc.weight"])) as tf.Tensor2D;
      cap?.("h.0.mlp.c_proj.weight", h);
      x = tf.add(x, tf.matMul(h, p["h.0.mlp.c_proj.weight"]));
      return tf.reshape(tf.matMul(x, p.wte, false, true), [B, Tn, V]) as tf.Tensor3D;
    },
  };
}

const seqs = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => Array.from({ length: 8 }, (_, t) => (i * 7 + t * seed) % 11));

describe("frontier on a toy GPT", () => {
  test("every variant is measured; bytes follow the formats; the fp32 weights come back", async () => {
    const model = toyGPT();
    const before = model.params["h.0.mlp.c_fc.weight"].dataSync().slice();
    const evalTokens = seqs(6, 3).flat();
    const r = await quantisationFrontier(model, { calibration: seqs(8, 5), evalTokens });
    expect(Object.keys(r.perplexity)).toEqual([...FRONTIER_KEYS]);
    const n = 32 * 96 + 32 * 32 + 32 * 128 + 128 * 32; // weights in the four linears
    expect(r.bytes.fp32).toBe(4 * n);
    expect(r.bytes.q8_0).toBe((n / 32) * 34);
    expect(r.bytes.q4_0).toBe((n / 32) * 18);
    // rows of 32 and 128 weights: no k-quant super-block fits, llama.cpp's fallbacks stand in
    expect(r.bytes.q4_k).toBe((n / 32) * 22);
    expect(r.storedAs.q4_k).toEqual({ q5_0: n });
    expect(r.bytes.q6_k).toBe(r.bytes.q8_0);
    expect(r.perplexity.q6_k).toBe(r.perplexity.q8_0);
    const rows = 96 + 32 + 128 + 32; // one fp16 scale and a zero per output row
    expect(r.bytes.rtn4).toBe(Math.ceil((4 * n + rows * (16 + 4)) / 8));
    expect(r.bytes.gptq3).toBe(r.bytes.rtn3);
    expect(r.otherBytes).toBe(4 * 11 * 32);
    const drift = (k: "q8_0" | "rtn8" | "rtn3") =>
      Math.abs(Math.log((r.perplexity[k] as number) / (r.perplexity.fp32 as number)));
    expect(drift("q8_0")).toBeLessThan(0.05);
    expect(drift("rtn8")).toBeLessThan(drift("rtn3"));
    expect(drift("q8_0")).toBeLessThan(drift("rtn3"));
    expect(Array.from(model.params["h.0.mlp.c_fc.weight"].dataSync())).toEqual(Array.from(before));
    const fig = frontierFigure(r);
    expect(fig.data.map((d) => d.name)).toEqual(["fp32", "RTN", "GPTQ", "GGML"]);
  });

  test("k-quant variants: rows of 256 are stored as Q4_K / Q6_K, the rest in the fallback type", async () => {
    const model = toyGPT(true, 64); // mlp.c_proj has 4*64 = 256 inputs: the only k-quantisable rows
    const r = await quantisationFrontier(model, {
      calibration: seqs(4, 5),
      evalTokens: seqs(4, 3).flat(),
      keys: ["fp32", "q4_k", "q6_k"],
    });
    const kRows = 64 * 256;
    const rest = 64 * 192 + 64 * 64 + 64 * 256;
    expect(r.storedAs.q4_k).toEqual({ q5_0: rest, q4_k: kRows });
    expect(r.bytes.q4_k).toBe((rest / 32) * 22 + (kRows / 256) * 144);
    expect(r.storedAs.q6_k).toEqual({ q8_0: rest, q6_k: kRows });
    expect(r.bytes.q6_k).toBe((rest / 32) * 34 + (kRows / 256) * 210);
    expect(Math.abs(Math.log(r.perplexity.q6_k! / r.perplexity.fp32!))).toBeLessThan(
      Math.abs(Math.log(r.perplexity.q4_k! / r.perplexity.fp32!)) + 1e-3,
    );
  });

  test("one layer's weight and captured inputs; random windows", async () => {
    const model = toyGPT();
    const W = layerWeight(model, "h.0.mlp.c_proj.weight");
    expect([W.rows, W.cols]).toEqual([32, 128]);
    expect(W.data[1]).toBe(model.params["h.0.mlp.c_proj.weight"].dataSync()[32]); // W[0][1] = Conv1D[1][0]
    const X = await captureLayerInputs(model, seqs(3, 2), "h.0.mlp.c_fc.weight");
    expect([X.rows, X.cols]).toEqual([24, 32]);
    const w = randomWindows([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4, 3, 1);
    expect(w).toHaveLength(4);
    for (const s of w) expect(s).toEqual([s[0], s[0] + 1, s[0] + 2]);
  });

  test("a forward without the capture hook is reported, naming the layers", async () => {
    const target = gptQuantTarget(toyGPT(false), { calibration: seqs(2, 1) });
    await expect(target.calibrate(["h.0.mlp.c_fc.weight"], () => undefined)).rejects.toThrow(
      /never captured h.0.mlp.c_fc.weight/,
    );
    expect(() => gptQuantTarget(toyGPT(), { calibration: [[1, 2], [1]] })).toThrow(/same length/);
  });
});

describe("per-matrix comparison and histograms", () => {
  test("on a weight-like matrix with correlated inputs GPTQ has the lowest output error at its width", () => {
    const W = weightLikeMatrix(32, 64, 9);
    const X = correlatedInputs(256, 64, 10);
    const c = compareMethods(W, X, ["rtn4", "gptq4", "q4_0", "q8_0"]);
    expect(c.gptq4.outputError).toBeLessThan(c.rtn4.outputError);
    expect(c.q8_0.outputError).toBeLessThan(c.q4_0.outputError);
    expect(c.q4_0.bitsPerWeight).toBe(4.5); // 18 bytes per 32 weights
    expect(c.q8_0.bitsPerWeight).toBe(8.5);
    const fig = errorHistogramFigure({ rtn4: c.rtn4.errors, q4_0: c.q4_0.errors }, { bins: 11 });
    expect(fig.data).toHaveLength(2);
    expect((fig.data[0].y as number[]).reduce((a, b) => a + b, 0)).toBe(32 * 64);
  });

  test("histogram counts worked by hand", () => {
    expect(histogram([-1, -0.5, 0, 0.2, 1], 2, [-1, 1])).toEqual({ centers: [-0.5, 0.5], counts: [2, 3] });
  });
});
