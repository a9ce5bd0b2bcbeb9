// Checkpoints: a directory with model.safetensors (parameters), optimizer.safetensors
// (AdamW moments) and state.json (step, optimizer step count, sampler Rng, configs,
// vocabulary, and the sha256 of both tensor files). Every file is written to a temp file
// and renamed; state.json goes last, so it only ever names tensor files that are complete.
import * as fs from "fs";
import * as path from "path";
import * as crypto from "crypto";
import * as tf from "@tensorflow/tfjs-core";
import { GPT } from "../model/gpt";
import { GPTConfig } from "../model/config";
import { RngState } from "../model/rng";
import { AdamWState } from "./adamw";
import { TrainConfig } from "./config";
import { NamedTensor, parseSafetensors, serializeSafetensors } from "./safetensors";
import type { HFTokenizerJSON } from "../tokenize/hf";

export const CHECKPOINT_FORMAT = "llmlab-checkpoint";
export const CHECKPOINT_VERSION = 1;

/**
 * How text becomes ids: a character vocabulary (id = position in chars), or a byte-level BPE
 * tokenizer (`llmlab tokenizer train`) stored as its tokenizer.json.
 */
export type CheckpointVocab = { kind: "char"; chars: string[] } | { kind: "bpe"; tokenizer: HFTokenizerJSON };

export interface CheckpointState {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  step: number;
  model: GPTConfig;
  train: TrainConfig;
  optimizer: { step: number };
  rng: { train: RngState };
  vocab?: CheckpointVocab;
  files: Record<string, string>; // file name -> sha256 hex
  metrics?: Record<string, number>;
}

export interface Checkpoint {
  state: CheckpointState;
  params: Record<string, NamedTensor>;
  optimizer: AdamWState;
}

/** Writes data to path atomically: a temp file in the same directory, then rename. */
export function writeFileAtomic(file: string, data: Buffer | string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

const sha256 = (b: Buffer): string => crypto.createHash("sha256").update(b).digest("hex");

export function saveCheckpoint(
  dir: string,
  c: {
    model: GPT;
    optimizer: AdamWState;
    step: number;
    train: TrainConfig;
    rng: { train: RngState };
    vocab?: CheckpointState["vocab"];
    metrics?: Record<string, number>;
  },
): void {
  fs.mkdirSync(dir, { recursive: true });
  const params: Record<string, NamedTensor> = {};
  for (const [name, v] of Object.entries(c.model.params))
    params[name] = { dtype: "F32", shape: v.shape, data: v.dataSync() as Float32Array };
  const moments: Record<string, NamedTensor> = {};
  for (const which of ["m", "v"] as const) {
    for (const [name, data] of Object.entries(c.optimizer[which])) {
      moments[`${which}.${name}`] = { dtype: "F32", shape: c.model.params[name]?.shape ?? [data.length], data };
    }
  }
  const modelBuf = serializeSafetensors(params, { format: "llmlab-gpt" });
  const optBuf = serializeSafetensors(moments, { format: "llmlab-adamw" });
  writeFileAtomic(path.join(dir, "model.safetensors"), modelBuf);
  writeFileAtomic(path.join(dir, "optimizer.safetensors"), optBuf);
  const state: CheckpointState = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    step: c.step,
    model: c.model.config,
    train: c.train,
    optimizer: { step: c.optimizer.step },
    rng: c.rng,
    vocab: c.vocab,
    files: { "model.safetensors": sha256(modelBuf), "optimizer.safetensors": sha256(optBuf) },
    metrics: c.metrics,
  };
  writeFileAtomic(path.join(dir, "state.json"), JSON.stringify(state, null, 1));
}

/** Reads and verifies a checkpoint directory; every problem is an error naming the file. */
export function loadCheckpoint(dir: string): Checkpoint {
  const statePath = path.join(dir, "state.json");
  if (!fs.existsSync(statePath))
    throw new Error(`checkpoint ${dir}: state.json not found (not a checkpoint directory?)`);
  let state: CheckpointState;
  try {
    state = JSON.parse(fs.readFileSync(statePath, "utf8"));
  } catch (e) {
    throw new Error(`checkpoint ${statePath} is corrupt: not valid JSON (${(e as Error).message})`);
  }
  if (state?.format !== CHECKPOINT_FORMAT)
    throw new Error(
      `checkpoint ${statePath}: format is ${JSON.stringify(state?.format)}, expected "${CHECKPOINT_FORMAT}"`,
    );
  if (state.version !== CHECKPOINT_VERSION)
    throw new Error(
      `checkpoint ${statePath}: version ${state.version} is not supported (expected ${CHECKPOINT_VERSION})`,
    );
  for (const k of ["step", "model", "train", "optimizer", "rng", "files"] as const) {
    if (state[k] === undefined) throw new Error(`checkpoint ${statePath} is corrupt: missing "${k}"`);
  }
  const read = (file: string): Buffer => {
    const p = path.join(dir, file);
    if (!fs.existsSync(p)) throw new Error(`checkpoint ${dir}: ${file} is missing`);
    const buf = fs.readFileSync(p);
    if (sha256(buf) !== state.files[file]) {
      throw new Error(
        `checkpoint ${p} is corrupt: its sha256 does not match state.json (truncated, edited, or from another save)`,
      );
    }
    return buf;
  };
  const params = parseSafetensors(read("model.safetensors"), path.join(dir, "model.safetensors")).tensors;
  // A weights-only checkpoint (saveWeightsOnly) lists no optimizer file: it loads, it cannot resume.
  const moments =
    state.files["optimizer.safetensors"] === undefined
      ? {}
      : parseSafetensors(read("optimizer.safetensors"), path.join(dir, "optimizer.safetensors")).tensors;
  const optimizer: AdamWState = { step: state.optimizer.step, m: {}, v: {} };
  for (const [key, t] of Object.entries(moments)) {
    const [which, ...rest] = key.split(".");
    if (which !== "m" && which !== "v")
      throw new Error(`checkpoint ${dir}/optimizer.safetensors: unexpected tensor ${key}`);
    optimizer[which][rest.join(".")] = t.data as Float32Array;
  }
  return { state, params, optimizer };
}

/**
 * A copy of a checkpoint without AdamW's moments (two thirds of its bytes): model.safetensors as
 * it is and a state.json that lists only that file. Enough to load, sample, evaluate, quantise
 * and fine-tune; not to resume the pretraining run. Verifies the source first.
 */
export function saveWeightsOnly(from: string, to: string): { bytes: number; sha256: string } {
  const ck = loadCheckpoint(from);
  if (path.resolve(from) === path.resolve(to))
    throw new Error(`saveWeightsOnly: the copy must go to another directory than ${from}`);
  const modelBuf = fs.readFileSync(path.join(from, "model.safetensors"));
  fs.mkdirSync(to, { recursive: true });
  writeFileAtomic(path.join(to, "model.safetensors"), modelBuf);
  const state: CheckpointState = { ...ck.state, files: { "model.safetensors": sha256(modelBuf) } };
  writeFileAtomic(path.join(to, "state.json"), JSON.stringify(state, null, 1) + "\n");
  return { bytes: modelBuf.length, sha256: state.files["model.safetensors"] };
}

/** Copies checkpoint parameters into a model, after checking that every name and shape matches. */
export function restoreParams(model: GPT, params: Record<string, NamedTensor>, what = "checkpoint"): void {
  const want = model.params;
  const missing = Object.keys(want).filter((k) => !params[k]);
  const extra = Object.keys(params).filter((k) => !want[k]);
  if (missing.length || extra.length) {
    throw new Error(
      `${what} does not match the model: missing [${missing.join(", ")}], unexpected [${extra.join(", ")}]`,
    );
  }
  for (const [name, v] of Object.entries(want)) {
    const shape = params[name].shape;
    if (shape.length !== v.shape.length || shape.some((d, i) => d !== v.shape[i])) {
      throw new Error(`${what} does not match the model: ${name} has shape [${shape}], the model expects [${v.shape}]`);
    }
  }
  for (const [name, v] of Object.entries(want)) tf.tidy(() => v.assign(tf.tensor(params[name].data, v.shape)));
}

/** Checks that a checkpoint's model config equals the one expected (e.g. from --config). */
export function checkSameModel(saved: GPTConfig, expected: GPTConfig, what = "checkpoint"): void {
  const diffs = (Object.keys(expected) as (keyof GPTConfig)[]).filter((k) => saved[k] !== expected[k]);
  if (diffs.length) {
    throw new Error(
      `${what} was saved for a different model: ${diffs.map((k) => `${k} ${JSON.stringify(saved[k])} != ${JSON.stringify(expected[k])}`).join(", ")}`,
    );
  }
}

/** A trained model and its vocabulary from a checkpoint directory (for sampling, evaluation). */
export function loadGPT(dir: string): { model: GPT; vocab?: CheckpointState["vocab"]; state: CheckpointState } {
  const ck = loadCheckpoint(dir);
  const model = new GPT(ck.state.model);
  try {
    restoreParams(model, ck.params, `checkpoint ${dir}/model.safetensors`);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return { model, vocab: ck.state.vocab, state: ck.state };
}
