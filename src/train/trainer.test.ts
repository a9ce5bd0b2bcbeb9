import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../backend";
import { GPT, generate } from "../model";
import { Trainer, TrainConfig, defaultTrainConfig, trainValSplit, TrainData, loadCheckpoint } from ".";
import { CharVocab } from "../tokenize/charVocab";

beforeAll(async () => {
  await initBackend();
});

const text = "the quick brown fox jumps over the lazy dog. ".repeat(12);
const vocab = CharVocab.fromText(text);
const split = trainValSplit(text);
const data: TrainData = { train: split.train.map((d) => vocab.encode(d)), val: split.val.map((d) => vocab.encode(d)) };
const modelCfg = { vocabSize: vocab.size, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 16, dropout: 0.1 };
const trainCfg: TrainConfig = {
  ...defaultTrainConfig,
  batchSize: 4,
  maxIters: 8,
  lr: 1e-2,
  minLr: 1e-3,
  warmupIters: 2,
  lrDecayIters: 8,
  evalInterval: 4,
  evalIters: 2,
  seed: 3,
};
const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), "llmlab-train-"));
const params = (t: Trainer): number[][] => Object.values(t.model.params).map((v) => Array.from(v.dataSync()));

test("the loss falls on a repetitive text", async () => {
  const t = new Trainer({
    model: new GPT(modelCfg),
    config: { ...trainCfg, maxIters: 30, lrDecayIters: 30, evalInterval: 30 },
    data,
  });
  const r = await t.run();
  expect(r.stopReason).toBe("done");
  expect(t.evals[0].iter).toBe(0);
  expect(t.evals.at(-1)!.iter).toBe(30);
  expect(t.evals.at(-1)!.valLoss).toBeLessThan(t.evals[0].valLoss - 0.5);
  expect(t.evals[0].valLoss).toBeCloseTo(Math.log(vocab.size), 0); // ~uniform at init
  t.model.dispose();
});

// Dropout 0 is the plain path, which runs the native fused block where the addon is loaded.
test.each([
  ["dropout 0.1", 0.1],
  ["dropout 0 (fused block)", 0],
])(
  "exact resume (%s): aborted at step 3, saved, resumed in a new Trainer == uninterrupted (bit-identical)",
  async (_, dropout) => {
    const cfg = { ...modelCfg, dropout };
    const full = new Trainer({ model: new GPT(cfg, { seed: 5 }), config: trainCfg, data });
    await full.run();

    const first = new Trainer({ model: new GPT(cfg, { seed: 5 }), config: trainCfg, data });
    const ac = new AbortController();
    const r1 = await first.run({
      signal: ac.signal,
      onProgress: (i) => i.kind === "step" && i.iter === 3 && ac.abort(),
    });
    expect(r1.stopReason).toBe("aborted");
    expect(r1.step).toBe(3);
    const dir = tmp();
    first.save(dir);
    first.model.dispose();

    const resumed = Trainer.resume(dir, data);
    expect(resumed.step).toBe(3);
    const r2 = await resumed.run();
    expect(r2.step).toBe(8);
    expect(params(resumed)).toEqual(params(full));
    expect(resumed.evals.at(-1)!.valLoss).toBe(full.evals.at(-1)!.valLoss);
    // and continuing the aborted Trainer in-process is exact as well (state stays usable)
    full.model.dispose();
    resumed.model.dispose();
  },
);

test("gradient accumulation: batch 4 × 2 micro-steps == batch 8 × 1 (same windows)", async () => {
  const cfg = { ...modelCfg, dropout: 0 };
  const a = new Trainer({
    model: new GPT(cfg, { seed: 2 }),
    config: { ...trainCfg, batchSize: 8, gradAccum: 1, maxIters: 3 },
    data,
  });
  const b = new Trainer({
    model: new GPT(cfg, { seed: 2 }),
    config: { ...trainCfg, batchSize: 4, gradAccum: 2, maxIters: 3 },
    data,
  });
  await a.run();
  await b.run();
  const pa = params(a).flat();
  const pb = params(b).flat();
  pa.forEach((v, i) => expect(Math.abs(v - pb[i])).toBeLessThan(1e-5));
  expect(b.history.map((h) => h.loss)[0]).toBeCloseTo(a.history[0].loss, 5);
});

test("NaN loss stops training with a message and leaves the parameters unchanged", async () => {
  const t = new Trainer({ model: new GPT(modelCfg), config: trainCfg, data });
  await t.run({ iters: 2 });
  const before = params(t);
  tf.tidy(() => t.model.params["ln_f.weight"].assign(tf.fill([16], NaN)));
  const r = await t.run();
  expect(r.stopReason).toBe("nonfinite");
  expect(r.message).toMatch(/training stopped at step 2: loss is NaN/);
  expect(t.step).toBe(2);
  const after = params(t);
  after.forEach((p, i) => {
    if (Object.keys(t.model.params)[i] !== "ln_f.weight") expect(p).toEqual(before[i]);
  });
  t.model.dispose();
});

describe("checkpoints", () => {
  let dir: string;
  beforeAll(async () => {
    dir = tmp();
    const t = new Trainer({
      model: new GPT(modelCfg),
      config: trainCfg,
      data,
      vocab: { kind: "char", chars: vocab.chars },
    });
    await t.run({ iters: 2, checkpointDir: dir });
    t.model.dispose();
  });

  test("are written as model.safetensors, optimizer.safetensors and state.json, no temp files left", () => {
    expect(fs.readdirSync(dir).sort()).toEqual(["model.safetensors", "optimizer.safetensors", "state.json"]);
    const ck = loadCheckpoint(dir);
    expect(ck.state.step).toBe(2);
    expect(ck.state.optimizer.step).toBe(2);
    expect(ck.state.vocab).toEqual({ kind: "char", chars: vocab.chars });
    expect(ck.params["wte"].shape).toEqual([vocab.size, 16]);
    expect(Object.keys(ck.optimizer.m).sort()).toEqual(Object.keys(ck.params).sort());
  });

  test("a corrupted tensor file is detected", () => {
    const d = tmp();
    for (const f of fs.readdirSync(dir)) fs.copyFileSync(path.join(dir, f), path.join(d, f));
    const file = path.join(d, "model.safetensors");
    const buf = fs.readFileSync(file);
    buf[buf.length - 3] ^= 0xff;
    fs.writeFileSync(file, buf);
    expect(() => Trainer.resume(d, data)).toThrow(/model.safetensors is corrupt: its sha256 does not match/);
    fs.writeFileSync(file, buf.subarray(0, 100));
    expect(() => loadCheckpoint(d)).toThrow(/corrupt/);
    fs.unlinkSync(file);
    expect(() => loadCheckpoint(d)).toThrow(/model.safetensors is missing/);
  });

  test("a corrupt or foreign state.json is detected", () => {
    const d = tmp();
    for (const f of fs.readdirSync(dir)) fs.copyFileSync(path.join(dir, f), path.join(d, f));
    fs.writeFileSync(path.join(d, "state.json"), '{"format": "llmlab-checkpoint", "vers');
    expect(() => loadCheckpoint(d)).toThrow(/state.json is corrupt: not valid JSON/);
    fs.writeFileSync(path.join(d, "state.json"), '{"format": "something-else"}');
    expect(() => loadCheckpoint(d)).toThrow(/format is "something-else"/);
    expect(() => loadCheckpoint(tmp())).toThrow(/state.json not found/);
  });

  test("a checkpoint for another model is rejected, naming the difference", () => {
    expect(() => Trainer.resume(dir, data, { expectModel: new GPT({ ...modelCfg, nEmbd: 32 }).config })).toThrow(
      /different model: nEmbd 16 != 32/,
    );
    // tensors that do not fit the config in state.json
    const d = tmp();
    for (const f of fs.readdirSync(dir)) fs.copyFileSync(path.join(dir, f), path.join(d, f));
    const state = JSON.parse(fs.readFileSync(path.join(d, "state.json"), "utf8"));
    state.model.nLayer = 2;
    fs.writeFileSync(path.join(d, "state.json"), JSON.stringify(state));
    expect(() => Trainer.resume(d, data)).toThrow(/does not match the model: missing \[h\.1\.ln_1\.weight/);
  });
});

test("no tensors leak across training steps, evaluations and generation", async () => {
  const t = new Trainer({
    model: new GPT(modelCfg),
    config: { ...trainCfg, gradAccum: 2, maxIters: 20, evalInterval: 2 },
    data,
  });
  await t.run({ iters: 2 });
  const before = tf.memory().numTensors;
  await t.run({ iters: 5 });
  t.evaluate();
  generate(t.model, [1, 2], { maxNewTokens: 10, seed: 1 });
  expect(tf.memory().numTensors).toBe(before);
  t.model.dispose();
});
