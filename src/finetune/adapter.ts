// An adapter on disk, apart from its base: adapter.safetensors (every lora_A / lora_B) and
// adapter_config.json (rank, alpha, targets, the base's model config and weight fingerprint,
// and the sha256 of the tensor file). Loading checks the base before touching it.
import * as fs from "fs";
import * as path from "path";
import * as crypto from "crypto";
import * as tf from "@tensorflow/tfjs-core";
import { GPT } from "../model/gpt";
import { GPTConfig } from "../model/config";
import { writeFileAtomic, checkSameModel } from "../train/checkpoint";
import { NamedTensor, parseSafetensors, serializeSafetensors } from "../train/safetensors";
import { LoRA, LoRAConfig } from "./lora";
import { modelFingerprint } from "./fingerprint";

export const ADAPTER_FORMAT = "llmlab-lora";
export const ADAPTER_VERSION = 1;
export const ADAPTER_FILE = "adapter.safetensors";
export const ADAPTER_CONFIG = "adapter_config.json";

export interface AdapterConfigFile {
  format: typeof ADAPTER_FORMAT;
  version: number;
  lora: LoRAConfig;
  base: { model: GPTConfig; fingerprint: string };
  /** Extra modules saved with the adapters: name -> shape. */
  extra?: Record<string, number[]>;
  files: Record<string, string>; // file name -> sha256
  metrics?: Record<string, number>;
}

let nextId = 0;
const sha256 = (b: Buffer): string => crypto.createHash("sha256").update(b).digest("hex");

/** Writes the adapter (atomically, config last); returns the tensor file's size in bytes. */
export function saveAdapter(dir: string, lora: LoRA, metrics?: Record<string, number>): { bytes: number } {
  fs.mkdirSync(dir, { recursive: true });
  const tensors: Record<string, NamedTensor> = {};
  for (const [name, v] of Object.entries(lora.params))
    tensors[name] = { dtype: "F32", shape: v.shape, data: v.dataSync() as Float32Array };
  const buf = serializeSafetensors(tensors, { format: ADAPTER_FORMAT });
  writeFileAtomic(path.join(dir, ADAPTER_FILE), buf);
  const cfg: AdapterConfigFile = {
    format: ADAPTER_FORMAT,
    version: ADAPTER_VERSION,
    lora: lora.config,
    base: { model: lora.base.config, fingerprint: lora.baseFingerprint },
    extra: Object.fromEntries(Object.entries(lora.extra).map(([k, v]) => [k, v.shape])),
    files: { [ADAPTER_FILE]: sha256(buf) },
    metrics,
  };
  writeFileAtomic(path.join(dir, ADAPTER_CONFIG), JSON.stringify(cfg, null, 1));
  return { bytes: buf.length };
}

/**
 * Attaches a saved adapter to `base`. Fails, naming both, if the base is a different
 * architecture or has different weights (fingerprint) than the one the adapter was trained on.
 */
export function loadAdapter(dir: string, base: GPT): LoRA {
  const cfgPath = path.join(dir, ADAPTER_CONFIG);
  if (!fs.existsSync(cfgPath))
    throw new Error(`adapter ${dir}: ${ADAPTER_CONFIG} not found (not an adapter directory?)`);
  let cfg: AdapterConfigFile;
  try {
    cfg = JSON.parse(fs.readFileSync(cfgPath, "utf8"));
  } catch (e) {
    throw new Error(`adapter ${cfgPath} is corrupt: not valid JSON (${(e as Error).message})`);
  }
  if (cfg?.format !== ADAPTER_FORMAT)
    throw new Error(`adapter ${cfgPath}: format is ${JSON.stringify(cfg?.format)}, expected "${ADAPTER_FORMAT}"`);
  if (cfg.version !== ADAPTER_VERSION)
    throw new Error(`adapter ${cfgPath}: version ${cfg.version} is not supported (expected ${ADAPTER_VERSION})`);
  if (!cfg.lora || !cfg.base?.model || !cfg.base.fingerprint || !cfg.files)
    throw new Error(`adapter ${cfgPath} is corrupt: needs lora, base.model, base.fingerprint and files`);
  checkSameModel(base.config, cfg.base.model, `the base model given for adapter ${dir}`);
  const fp = modelFingerprint(base);
  if (fp !== cfg.base.fingerprint) {
    throw new Error(
      `adapter ${dir} was trained on a different base model: its base weights have sha256 ${cfg.base.fingerprint.slice(0, 16)}…, ` +
        `the given base has ${fp.slice(0, 16)}… (same architecture, other weights). Load it onto the checkpoint it was fine-tuned from.`,
    );
  }
  const tensorPath = path.join(dir, ADAPTER_FILE);
  if (!fs.existsSync(tensorPath)) throw new Error(`adapter ${dir}: ${ADAPTER_FILE} is missing`);
  const buf = fs.readFileSync(tensorPath);
  if (sha256(buf) !== cfg.files[ADAPTER_FILE])
    throw new Error(`adapter ${tensorPath} is corrupt: its sha256 does not match ${ADAPTER_CONFIG}`);
  const { tensors } = parseSafetensors(buf, tensorPath);
  const lora = new LoRA(base, cfg.lora);
  try {
    for (const [name, shape] of Object.entries(cfg.extra ?? {}))
      lora.extra[name] = tf.variable(tf.zeros(shape), true, `adapter_extra_${name}_${nextId++}`);
    const want = lora.params;
    const missing = Object.keys(want).filter((k) => !tensors[k]);
    const extra = Object.keys(tensors).filter((k) => !want[k]);
    if (missing.length || extra.length)
      throw new Error(
        `adapter ${tensorPath} does not match its config: missing [${missing.join(", ")}], unexpected [${extra.join(", ")}]`,
      );
    for (const [name, v] of Object.entries(want)) {
      const t = tensors[name];
      if (t.shape.join(",") !== v.shape.join(","))
        throw new Error(`adapter ${tensorPath}: ${name} has shape [${t.shape}], expected [${v.shape}]`);
      tf.tidy(() => v.assign(tf.tensor(t.data, v.shape)));
    }
    return lora;
  } catch (e) {
    lora.dispose();
    throw e;
  }
}
