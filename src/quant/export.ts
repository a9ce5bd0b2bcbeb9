// Checkpoint -> GGUF: what `llmlab export gguf` does, on a checkpoint already loaded (see
// src/train's loadCheckpoint: state.json + model.safetensors). Typed structurally so this
// file does not depend on src/train.
import { tmpdir } from "os";
import { join } from "path";
import { GGMLType } from "./ggml";
import { GGUFFile, readGGUF } from "./gguf";
import { NamedArray, gpt2GGUF } from "./gguf-gpt2";
import { writeGGUF } from "./gguf-write";
import { bpeVocabTokenizer, charVocabTokenizer } from "./gguf-vocab";
import { HFTokenizerJSON, fromHFTokenizerJSON } from "../tokenize/hf";
import { BPETokenizer } from "../tokenize/bpe";

/** A checkpoint's stored tokenizer.json as our BPE tokenizer. */
export function bpeFromJSON(j: HFTokenizerJSON): BPETokenizer {
  const tok = fromHFTokenizerJSON(j);
  if (!(tok instanceof BPETokenizer)) throw new Error("checkpoint vocab: tokenizer.json is not byte-level BPE");
  return tok;
}

export interface CheckpointLike {
  state: {
    step: number;
    model: { vocabSize: number; blockSize: number; nLayer: number; nHead: number; nEmbd: number; positional: string };
    vocab?: { kind: "char"; chars: string[] } | { kind: "bpe"; tokenizer: HFTokenizerJSON };
  };
  params: Record<string, { shape: number[]; data: Float32Array | Int32Array }>;
}

export const EXPORT_TYPES = ["f32", "f16", "q8_0", "q4_0", "q4_1", "q5_0", "q5_1", "q4_k", "q6_k"] as const;

export interface ExportSummary {
  path: string;
  bytes: number;
  tensors: { name: string; type: GGMLType; shape: number[] }[];
  notes: string[];
}

export function exportCheckpointGGUF(
  ckpt: CheckpointLike,
  type: GGMLType,
  out: string,
  name = "llmlab",
): ExportSummary {
  if (!(EXPORT_TYPES as readonly string[]).includes(type))
    throw new Error(`--type must be one of ${EXPORT_TYPES.join(", ")}, got "${type}"`);
  const m = ckpt.state.model;
  if (m.positional !== "learned") {
    throw new Error(
      `the gpt2 GGUF architecture has learned positions only; this checkpoint uses positional="${m.positional}"`,
    );
  }
  const params: Record<string, NamedArray> = {};
  for (const [k, t] of Object.entries(ckpt.params)) {
    if (!(t.data instanceof Float32Array)) throw new Error(`checkpoint parameter ${k} is not float32`);
    params[k] = { shape: t.shape, data: t.data };
  }
  const v = ckpt.state.vocab;
  const tokenizer = !v
    ? undefined
    : v.kind === "char"
      ? charVocabTokenizer(v.chars)
      : bpeVocabTokenizer(bpeFromJSON(v.tokenizer));
  const hp = {
    name: `${name}-step${ckpt.state.step}`,
    vocabSize: m.vocabSize,
    contextLength: m.blockSize,
    nLayer: m.nLayer,
    nHead: m.nHead,
    nEmbd: m.nEmbd,
  };
  const { metadata, tensors, notes } = gpt2GGUF(params, hp, type, tokenizer);
  const bytes = writeGGUF(out, metadata, tensors);
  return { path: out, bytes, tensors: tensors.map((t) => ({ name: t.name, type: t.type, shape: t.shape })), notes };
}

/** A live model (src/model's GPT) in the shape of a loaded checkpoint, to export it directly. */
export function modelCheckpoint(
  model: {
    config: CheckpointLike["state"]["model"];
    params: Record<string, { shape: number[]; dataSync(): ArrayLike<number> }>;
  },
  chars?: string[],
  step = 0,
): CheckpointLike {
  const params: CheckpointLike["params"] = {};
  for (const [k, v] of Object.entries(model.params))
    params[k] = { shape: [...v.shape], data: Float32Array.from(v.dataSync()) };
  return { state: { step, model: model.config, vocab: chars ? { kind: "char", chars } : undefined }, params };
}

/** A path in the OS temp directory (for files a notebook writes and throws away). */
export function tempPath(name: string): string {
  return join(tmpdir(), name);
}

/** One line per metadata key (arrays shortened) and per tensor: what `gguf-dump` shows. */
export function describeGGUF(f: GGUFFile | string, maxItems = 5): string[] {
  const file = typeof f === "string" ? readGGUF(f) : f;
  const lines = [
    `GGUF v${file.version}, ${Object.keys(file.metadata).length} metadata keys, ${file.tensors.length} tensors, data at byte ${file.dataOffset} (alignment ${file.alignment})`,
  ];
  for (const [k, v] of Object.entries(file.metadata)) {
    const shown =
      v.type === "array"
        ? `[${v.value
            .slice(0, maxItems)
            .map((x) => JSON.stringify(typeof x === "bigint" ? x.toString() : x))
            .join(", ")}${v.value.length > maxItems ? `, ... ${v.value.length} items` : ""}]`
        : JSON.stringify(typeof v.value === "bigint" ? v.value.toString() : v.value);
    lines.push(`  ${k} (${v.type === "array" ? `${v.itemType}[]` : v.type}) = ${shown}`);
  }
  for (const t of file.tensors)
    lines.push(
      `  ${t.name.padEnd(28)} ${t.type.padEnd(5)} dims [${t.dims.join(", ")}]  ${t.bytes} bytes at +${t.offset}`,
    );
  return lines;
}
