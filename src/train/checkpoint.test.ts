// Weights-only checkpoints (what datasets/baby-gpt ships): load to the same model, refuse to resume.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../backend";
import { GPT } from "../model";
import { Trainer, defaultTrainConfig, loadCheckpoint, loadGPT, saveWeightsOnly } from ".";
import { CharVocab } from "../tokenize/charVocab";

const text = "a small text for a small model. ".repeat(10);
const vocab = CharVocab.fromText(text);
const data = { train: [vocab.encode(text)], val: [vocab.encode(text)] };
const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), "llmlab-ck-"));
let full: string;

beforeAll(async () => {
  await initBackend();
  full = tmp();
  const t = new Trainer({
    model: new GPT({ vocabSize: vocab.size, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 16 }, { seed: 1 }),
    config: {
      ...defaultTrainConfig,
      batchSize: 2,
      maxIters: 3,
      lrDecayIters: 3,
      warmupIters: 1,
      evalInterval: 3,
      evalIters: 1,
    },
    data,
    vocab: { kind: "char", chars: vocab.chars },
  });
  await t.run({ checkpointDir: full });
  t.model.dispose();
});

test("saveWeightsOnly keeps the weights bit for bit and drops the optimizer", () => {
  const out = path.join(tmp(), "w");
  const r = saveWeightsOnly(full, out);
  expect(fs.readdirSync(out).sort()).toEqual(["model.safetensors", "state.json"]);
  expect(
    Buffer.compare(
      fs.readFileSync(path.join(out, "model.safetensors")),
      fs.readFileSync(path.join(full, "model.safetensors")),
    ),
  ).toBe(0);
  expect(r.bytes).toBe(fs.statSync(path.join(out, "model.safetensors")).size);
  const a = loadGPT(full),
    b = loadGPT(out);
  const ids = tf.tensor2d([Array.from(vocab.encode("a small"))], undefined, "int32");
  const la = tf.tidy(() => a.model.forward(ids).dataSync()),
    lb = tf.tidy(() => b.model.forward(ids).dataSync());
  expect(Array.from(lb)).toEqual(Array.from(la));
  expect(b.vocab).toEqual({ kind: "char", chars: vocab.chars });
  expect(b.state.step).toBe(3);
  expect(Object.keys(loadCheckpoint(out).optimizer.m)).toEqual([]);
  tf.dispose(ids);
  a.model.dispose();
  b.model.dispose();
});

test("a weights-only checkpoint cannot resume training, and is still checked against its sha256", () => {
  const out = path.join(tmp(), "w");
  saveWeightsOnly(full, out);
  expect(() => Trainer.resume(out, data)).toThrow(/optimizer.safetensors: no moments/);
  const file = path.join(out, "model.safetensors");
  const buf = fs.readFileSync(file);
  buf[buf.length - 1] ^= 0xff;
  fs.writeFileSync(file, buf);
  expect(() => loadCheckpoint(out)).toThrow(/model.safetensors is corrupt/);
});

test("saveWeightsOnly refuses to overwrite its source", () => {
  expect(() => saveWeightsOnly(full, full)).toThrow(/another directory/);
});
