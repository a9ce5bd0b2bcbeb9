import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../backend";
import { GPT } from "../model";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  FineTuner,
  FineTuneOptions,
  Task,
  asciiVocab,
  frozenFilter,
  scoreExamples,
  saveAdapter,
  loadAdapter,
  HEAD_NAME,
} from ".";

beforeAll(async () => {
  await initBackend();
});

const vocab = asciiVocab();
const cfg = { vocabSize: vocab.size, blockSize: 16, nLayer: 2, nHead: 2, nEmbd: 16 };
const snapshot = (ps: Record<string, tf.Variable>): Record<string, number[]> =>
  Object.fromEntries(Object.entries(ps).map(([k, v]) => [k, Array.from(v.dataSync())]));
// The class is the first letter: a..m -> "no", n..z -> "yes"; learnable in a few steps.
const toy = (words: string[]): Task["train"] =>
  words.map((w) => ({ prompt: w + "?", answer: w < "n" ? "n" : "y", label: w < "n" ? "no" : "yes" }));
const task: Task = {
  name: "toy",
  kind: "classification",
  labels: { no: "n", yes: "y" },
  pretrainText: [],
  train: toy(["apple", "zebra", "berry", "yacht", "cider", "xenon", "delta", "whale"]),
  val: toy(["eagle", "violet"]),
  test: toy(["fig", "umber", "grape", "tulip"]),
};
/** A fine-tuner of `model` on the toy task; `o` says how. */
const tuner = (model: GPT, o: Omit<FineTuneOptions, "model" | "task" | "vocab">) =>
  new FineTuner({ model, task, vocab, ...o });

test("full fine-tuning with freezing: frozen weights bit-identical, the rest move; the train loss falls", async () => {
  const model = new GPT(cfg, { seed: 2 });
  const before = snapshot(model.params);
  const t = tuner(model, {
    method: "full",
    freeze: { embeddings: true, layers: 1 },
    config: { batchSize: 8, maxIters: 12, lr: 1e-2, evalInterval: 12 },
  });
  expect(Object.keys(t.trainable).some((k) => k.startsWith("h.0.") || k === "wte" || k === "wpe")).toBe(false);
  expect(t.trainableCount()).toBe(
    model.paramCount() +
      2 * 16 /* head */ -
      Object.entries(model.params)
        .filter(([k]) => k.startsWith("h.0.") || k === "wte" || k === "wpe")
        .reduce((n, [, v]) => n + v.size, 0),
  );
  await t.run();
  const after = snapshot(model.params);
  for (const k of Object.keys(before)) {
    const moved = after[k].some((v, i) => v !== before[k][i]);
    expect([k, moved]).toEqual([k, !!t.trainable[k]]);
  }
  expect(t.evals.at(-1)!.trainLoss).toBeLessThan(t.evals[0].trainLoss);
  expect(t.optimizerBytes).toBe(8 * t.trainableCount());
  expect(t.trainable[HEAD_NAME]).toBe(t.head); // the head trains in full fine-tuning too
  t.dispose();
  model.dispose();
});

test("a run is reproducible from its seed, and an abort stops between steps with usable state", async () => {
  const run = async (abortAt?: number): Promise<{ t: FineTuner; m: GPT }> => {
    const m = new GPT(cfg, { seed: 4 });
    const t = tuner(m, {
      method: "lora",
      lora: { rank: 2, dropout: 0.1 },
      config: { batchSize: 3, maxIters: 6, evalInterval: 6 },
    });
    const ac = new AbortController();
    const r = await t.run({
      signal: ac.signal,
      onProgress: (p) => p.kind === "step" && p.iter === abortAt && ac.abort(),
    });
    if (abortAt !== undefined) {
      expect(r).toEqual({ stopReason: "aborted", step: abortAt });
      await t.run(); // continues where it stopped
    }
    return { t, m };
  };
  const a = await run();
  const b = await run(2);
  expect(snapshot(b.t.trainable)).toEqual(snapshot(a.t.trainable));
  for (const x of [a, b]) {
    x.t.dispose();
    x.m.dispose();
  }
});

test("accuracy counts the label word with the larger logit (checked against the per-example logits)", () => {
  const m = new GPT(cfg, { seed: 9 });
  const s = scoreExamples(m, task.test, vocab, 16, { labels: task.labels });
  const expected = task.test.map((e) => {
    const ids = Array.from(e.prompt, (c) => vocab.chars.indexOf(c));
    const row = tf.tidy(() => m.forward(tf.tensor2d([ids], [1, ids.length], "int32"))).arraySync()[0][ids.length - 1];
    return row[vocab.chars.indexOf("y")] > row[vocab.chars.indexOf("n")] ? "yes" : "no";
  });
  expect(s.predictions).toEqual(expected);
  expect(s.accuracy).toBe(expected.filter((p, i) => p === task.test[i].label).length / task.test.length);
  m.dispose();
});

test("bad options are refused clearly", () => {
  const m = new GPT(cfg);
  expect(() => tuner(m, { method: "lora", freeze: { layers: 1 } })).toThrow(/freeze is for full/);
  expect(() => tuner(m, { method: "adapters" as never })).toThrow(/method must be "full" or "lora"/);
  expect(() => frozenFilter(m, { layers: 3 })).toThrow(/freeze.layers/);
  expect(() => tuner(m, { method: "full", config: { batchSize: 0 } })).toThrow(/batchSize/);
  m.dispose();
});

test("the classification head starts as the label words' LM logits and is trained and saved with a LoRA adapter", async () => {
  const m = new GPT(cfg, { seed: 12 });
  const t = tuner(m, { method: "lora", lora: { rank: 2 }, config: { batchSize: 4, maxIters: 3, evalInterval: 3 } });
  const ids = Array.from("apple?", (c) => vocab.chars.indexOf(c));
  const [head, lm] = tf.tidy(() => {
    const x = tf.tensor2d([ids], [1, ids.length], "int32");
    const h = t.classLogits(x, [ids.length - 1]).arraySync()[0];
    const row = m.forward(x).arraySync()[0][ids.length - 1];
    return [h, [row[vocab.chars.indexOf("n")], row[vocab.chars.indexOf("y")]]];
  });
  expect(head[0]).toBeCloseTo(lm[0], 5);
  expect(head[1]).toBeCloseTo(lm[1], 5);
  expect(Object.keys(t.trainable)).toContain(HEAD_NAME);
  const before = Array.from(t.head!.dataSync());
  await t.run();
  expect(Array.from(t.head!.dataSync())).not.toEqual(before);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmlab-head-"));
  saveAdapter(dir, t.lora!);
  const back = loadAdapter(dir, m);
  expect(Array.from(back.extra[HEAD_NAME].dataSync())).toEqual(Array.from(t.head!.dataSync()));
  back.dispose();
  t.dispose();
  m.dispose();
});

test("steps and evaluations leak no tensors (full and lora)", async () => {
  for (const method of ["full", "lora"] as const) {
    const m = new GPT(cfg, { seed: 13 });
    const t = tuner(m, { method, config: { batchSize: 4, maxIters: 6, evalInterval: 2 } });
    await t.run({ iters: 2 }); // the optimizer's moments exist from here on
    const n = tf.memory().numTensors;
    await t.run({ iters: 4 });
    t.test();
    expect([method, tf.memory().numTensors]).toEqual([method, n]);
    t.dispose();
    m.dispose();
  }
});
