import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../backend";
import { GPT } from "../model";
import { saveCheckpoint, defaultTrainConfig } from "../train";
import { LoRA, saveAdapter, loadAdapter, asciiVocab, modelFingerprint, ADAPTER_FILE, ADAPTER_CONFIG } from ".";

beforeAll(async () => {
  await initBackend();
});

const vocab = asciiVocab();
const cfg = { vocabSize: vocab.size, blockSize: 16, nLayer: 2, nHead: 2, nEmbd: 16 };
const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), "llmlab-lora-"));
const idx = (): tf.Tensor2D => tf.tensor2d([[5, 9, 33, 40, 2, 7]], [1, 6], "int32");
const logits = (m: { forward(x: tf.Tensor2D): tf.Tensor3D }): number[] =>
  Array.from(tf.tidy(() => m.forward(idx())).dataSync());
const trained = (base: GPT): LoRA => {
  const l = new LoRA(base, { rank: 2, alpha: 4, targets: ["q", "v", "mlp.c_proj"] });
  l.adapters.forEach((a, i) => a.B.assign(tf.randomNormal(a.B.shape, 0, 0.3, "float32", i)));
  return l;
};

test("save/load round trip: same tensors, same outputs; the file is a small fraction of the model's", () => {
  const base = new GPT(cfg, { seed: 1 });
  const lora = trained(base);
  const dir = tmp();
  const { bytes } = saveAdapter(dir, lora);
  expect(fs.statSync(path.join(dir, ADAPTER_FILE)).size).toBe(bytes);
  const json = JSON.parse(fs.readFileSync(path.join(dir, ADAPTER_CONFIG), "utf8"));
  expect(json.lora).toMatchObject({ rank: 2, alpha: 4, targets: ["q", "v", "mlp.c_proj"] });
  expect(json.base.fingerprint).toBe(modelFingerprint(base));

  const loaded = loadAdapter(dir, base);
  for (const [k, v] of Object.entries(lora.params))
    expect(Array.from(loaded.params[k].dataSync())).toEqual(Array.from(v.dataSync()));
  expect(logits(loaded)).toEqual(logits(lora));

  // the whole model in the same format, for scale
  const ck = tmp();
  saveCheckpoint(ck, {
    model: base,
    optimizer: { step: 0, m: {}, v: {} },
    step: 0,
    train: defaultTrainConfig,
    rng: { train: [1, 2, 3, 4] },
  });
  const modelBytes = fs.statSync(path.join(ck, "model.safetensors")).size;
  expect(bytes).toBeLessThan(modelBytes / 5);
  expect(bytes).toBeGreaterThan(4 * lora.paramCount()); // float32 data plus a header
  lora.dispose();
  loaded.dispose();
  base.dispose();
});

test("loading onto a different base fails clearly: other weights (fingerprint) or other architecture", () => {
  const base = new GPT(cfg, { seed: 1 });
  const lora = trained(base);
  const dir = tmp();
  saveAdapter(dir, lora);
  const other = new GPT(cfg, { seed: 2 });
  expect(() => loadAdapter(dir, other)).toThrow(
    /trained on a different base model: its base weights have sha256 [0-9a-f]{16}…, the given base has [0-9a-f]{16}…/,
  );
  const wider = new GPT({ ...cfg, nEmbd: 32 });
  expect(() => loadAdapter(dir, wider)).toThrow(/saved for a different model: nEmbd 32 != 16/);
  // a fine-tuned (changed) base is a different base too
  base.params["ln_f.weight"].assign(tf.mul(base.params["ln_f.weight"], 1.001));
  expect(() => loadAdapter(dir, base)).toThrow(/different base model/);
  [lora, other, wider, base].forEach((m) => m.dispose());
});

test("a corrupt adapter file or a missing config is refused, naming the file", () => {
  const base = new GPT(cfg, { seed: 1 });
  const lora = trained(base);
  const dir = tmp();
  saveAdapter(dir, lora);
  const f = path.join(dir, ADAPTER_FILE);
  const buf = fs.readFileSync(f);
  buf[buf.length - 1] ^= 0xff;
  fs.writeFileSync(f, buf);
  expect(() => loadAdapter(dir, base)).toThrow(/adapter\.safetensors is corrupt: its sha256/);
  expect(() => loadAdapter(tmp(), base)).toThrow(/adapter_config\.json not found/);
  lora.dispose();
  base.dispose();
});
