import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../backend";
import { GPT } from "../model";
import { LoRA, FineTuner, Task, asciiVocab } from ".";

beforeAll(async () => {
  await initBackend();
});

const vocab = asciiVocab();
const cfg = { vocabSize: vocab.size, blockSize: 16, nLayer: 2, nHead: 2, nEmbd: 16 };
const idx = (): tf.Tensor2D =>
  tf.tensor2d(
    [
      [5, 9, 33, 40, 2, 7],
      [60, 61, 62, 1, 0, 95],
    ],
    [2, 6],
    "int32",
  );
const logits = (m: { forward(x: tf.Tensor2D): tf.Tensor3D }): Float32Array =>
  tf.tidy(() => m.forward(idx())).dataSync() as Float32Array;
const snapshot = (ps: Record<string, tf.Variable>): Record<string, number[]> =>
  Object.fromEntries(Object.entries(ps).map(([k, v]) => [k, Array.from(v.dataSync())]));
/** Gives every B (and a zero A: embeddings) random values, as if trained (at init the update is 0, which would make these tests vacuous). */
const randomiseB = (l: LoRA, seed = 1): void =>
  l.adapters.forEach((a, i) => {
    a.B.assign(tf.randomNormal(a.B.shape, 0, 0.5, "float32", seed + i));
    if (a.A.dataSync().every((v) => v === 0)) a.A.assign(tf.randomNormal(a.A.shape, 0, 0.5, "float32", seed + 100 + i));
  });
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number =>
  Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

test("at init (B = 0) the adapted model's logits equal the base's exactly; A ~ U(±1/sqrt(in))", () => {
  const base = new GPT(cfg, { seed: 3 });
  const lora = new LoRA(base, { rank: 4, alpha: 8 });
  expect(Array.from(logits(lora))).toEqual(Array.from(logits(base)));
  expect(lora.adapters.map((a) => a.site)).toEqual(["h.0.attn.q", "h.0.attn.v", "h.1.attn.q", "h.1.attn.v"]);
  for (const a of lora.adapters) {
    expect(a.B.dataSync().every((v) => v === 0)).toBe(true);
    const A = a.A.dataSync();
    const bound = 1 / Math.sqrt(16);
    expect(Math.max(...Array.from(A, Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...Array.from(A, Math.abs))).toBeGreaterThan(0.8 * bound); // spread over the range, not all tiny
  }
  // q, v on 2 layers: 4 adapters of (16·4 + 4·16) parameters
  expect(lora.paramCount()).toBe(4 * (16 * 4 + 4 * 16));
  lora.dispose();
  base.dispose();
});

test("the update is (alpha/r)·A·B in the q and v column blocks of c_attn only (against a plain-JS matmul)", () => {
  const base = new GPT(cfg, { seed: 3 });
  const lora = new LoRA(base, { rank: 2, alpha: 6, layers: [1] });
  randomiseB(lora);
  const d = lora.delta("h.1.attn.c_attn.weight");
  expect(d.shape).toEqual([16, 48]);
  const got = d.arraySync() as number[][];
  const C = 16;
  for (const [block, site] of [
    [0, "h.1.attn.q"],
    [2, "h.1.attn.v"],
  ] as const) {
    const a = lora.adapters.find((x) => x.site === site)!;
    const A = a.A.arraySync() as number[][];
    const B = a.B.arraySync() as number[][];
    for (let i = 0; i < C; i++)
      for (let j = 0; j < C; j++) {
        const ref = 3 * (A[i][0] * B[0][j] + A[i][1] * B[1][j]); // alpha/r = 6/2
        expect(got[i][block * C + j]).toBeCloseTo(ref, 5);
      }
  }
  for (let i = 0; i < C; i++) for (let j = C; j < 2 * C; j++) expect(got[i][j]).toBe(0); // k untouched
  d.dispose();
  lora.dispose();
  base.dispose();
});

test("merged and unmerged forward passes agree; unmerge restores the base weights", () => {
  const base = new GPT(cfg, { seed: 4 });
  const before = snapshot(base.params);
  const lora = new LoRA(base, { rank: 4, alpha: 4, targets: ["q", "v", "mlp.c_fc", "wte"] });
  randomiseB(lora, 7);
  const unmerged = logits(lora);
  expect(maxDiff(unmerged, logits(base))).toBeGreaterThan(1e-3); // the adapters do change the output
  lora.merge();
  expect(lora.merged).toBe(true);
  expect(maxDiff(logits(base), unmerged)).toBeLessThan(1e-5); // the plain base now computes the adapted model
  expect(maxDiff(logits(lora), unmerged)).toBeLessThan(1e-5);
  expect(() => tf.tidy(() => lora.forward(idx(), { training: true }))).toThrow(/unmerge/);
  lora.unmerge();
  const after = snapshot(base.params);
  for (const k of Object.keys(before)) expect(maxDiff(after[k], before[k])).toBeLessThan(1e-6);
  expect(maxDiff(logits(lora), unmerged)).toBeLessThan(1e-5);
  lora.dispose();
  base.dispose();
});

test("the gradient reaching B matches a finite difference", () => {
  const base = new GPT({ ...cfg, nLayer: 1 }, { seed: 5 });
  const lora = new LoRA(base, { rank: 2, alpha: 2 });
  randomiseB(lora, 11);
  const y = tf.tensor2d(
    [
      [9, 33, 40, 2, 7, 8],
      [61, 62, 1, 0, 95, 3],
    ],
    [2, 6],
    "int32",
  );
  const loss = (): tf.Scalar =>
    tf.tidy(() => {
      const l = lora.forward(idx());
      return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(l), tf.oneHot(y, vocab.size)), -1))) as tf.Scalar;
    });
  const Bv = lora.adapters[1].B; // v's B
  const { grads } = tf.variableGrads(loss, [Bv]);
  const g = grads[Bv.name].dataSync();
  const orig = Bv.dataSync().slice();
  const h = 1e-2;
  for (const i of [0, 5, 17]) {
    const at = (delta: number): number => {
      const w = orig.slice();
      w[i] += delta;
      Bv.assign(tf.tensor(w, Bv.shape));
      return loss().dataSync()[0];
    };
    const fd = (at(h) - at(-h)) / (2 * h);
    expect(Math.abs(fd - g[i])).toBeLessThan(2e-3 + 0.02 * Math.abs(fd));
  }
  lora.dispose();
  base.dispose();
});

test("training moves only the adapters: base weights bit-identical, optimizer state for adapters only", async () => {
  const task: Task = {
    name: "toy",
    kind: "classification",
    labels: { no: "n", yes: "y" },
    pretrainText: [],
    train: ["abc", "xyz", "abd", "xyw"].map((p, i) => ({
      prompt: p,
      answer: i % 2 ? "y" : "n",
      label: i % 2 ? "yes" : "no",
    })),
    val: [{ prompt: "abe", answer: "n", label: "no" }],
    test: [{ prompt: "xyq", answer: "y", label: "yes" }],
  };
  const base = new GPT(cfg, { seed: 6 });
  const before = snapshot(base.params);
  const t = new FineTuner({
    model: base,
    task,
    vocab,
    method: "lora",
    lora: { rank: 2, alpha: 4 },
    config: { batchSize: 4, maxIters: 5, evalInterval: 5 },
  });
  const adaptersBefore = snapshot(t.trainable);
  await t.run();
  expect(snapshot(base.params)).toEqual(before);
  const adaptersAfter = snapshot(t.trainable);
  expect(Object.keys(adaptersAfter).every((k) => k.includes(".lora_") || k === "cls_head.weight")).toBe(true);
  expect(Object.keys(adaptersAfter).some((k) => adaptersAfter[k].some((v, i) => v !== adaptersBefore[k][i]))).toBe(
    true,
  );
  const state = t.optimizer.exportState();
  expect(Object.keys(state.m).sort()).toEqual(Object.keys(t.trainable).sort());
  // AdamW's two float32 moments per trainable parameter, measured with tf.memory()
  expect(t.optimizerBytes).toBe(2 * 4 * t.trainableCount());
  expect(t.evals.at(-1)!.trainLoss).toBeLessThan(t.evals[0].trainLoss);
  t.dispose();
  base.dispose();
});

test("an embedding adapter (wte) starts at zero as peft's (A = 0, B ~ N(0, 1)) and leaves the base unchanged", () => {
  const base = new GPT(cfg, { seed: 8 });
  const lora = new LoRA(base, { rank: 2, alpha: 2, targets: ["wte"] });
  const [a] = lora.adapters;
  expect([a.site, a.param, a.A.shape, a.B.shape]).toEqual(["wte", "wte", [vocab.size, 2], [2, 16]]);
  expect(a.A.dataSync().every((v) => v === 0)).toBe(true);
  expect(
    Math.abs(Array.from(a.B.dataSync()).reduce((s: number, v: number) => s + v * v, 0) / a.B.size - 1),
  ).toBeLessThan(0.5); // unit variance
  expect(Array.from(logits(lora))).toEqual(Array.from(logits(base)));
  lora.dispose();
  base.dispose();
});

test("bad LoRA configs are refused with the field named", () => {
  const base = new GPT(cfg);
  expect(() => new LoRA(base, { rank: 0 })).toThrow(/rank/);
  expect(() => new LoRA(base, { targets: ["ln_f" as never] })).toThrow(/unknown target "ln_f"/);
  expect(() => new LoRA(base, { layers: [2] })).toThrow(/layer 2/);
  expect(() => new LoRA(base, { dropout: 1 })).toThrow(/dropout/);
  base.dispose();
});
