// GGUF v3 writer (see gguf.ts for the layout). Tensors come in as float32 with a row-major
// shape and are encoded to the requested ggml type here.
import { closeSync, openSync, renameSync, unlinkSync, writeSync } from "fs";
import { encodeF16 } from "./fp16";
import { GGML_TYPES, GGMLType, quantizeRow } from "./ggml";
import {
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAGIC,
  GGUF_VALUE_TYPES,
  GGUF_VERSION,
  GGUFScalar,
  GGUFScalarType,
  GGUFValue,
  alignOffset,
  kv,
} from "./gguf";

export interface GGUFTensorInput {
  name: string;
  /** Row-major shape, outermost first (written reversed, as ggml's ne). */
  shape: number[];
  type: GGMLType;
  data: Float32Array;
}

/** ggml's GGML_QNT_VERSION, required in files that hold quantised tensors. */
export const GGML_QUANTIZATION_VERSION = 2;

class Writer {
  chunks: Uint8Array[] = [];
  length = 0;
  private readonly enc = new TextEncoder();
  bytes(b: Uint8Array): void {
    this.chunks.push(b);
    this.length += b.length;
  }
  private fixed(n: number, set: (dv: DataView) => void): void {
    const b = new Uint8Array(n);
    set(new DataView(b.buffer));
    this.bytes(b);
  }
  u32(v: number): void {
    this.fixed(4, (dv) => dv.setUint32(0, v, true));
  }
  u64(v: number | bigint): void {
    this.fixed(8, (dv) => dv.setBigUint64(0, BigInt(v), true));
  }
  string(s: string): void {
    const b = this.enc.encode(s);
    this.u64(b.length);
    this.bytes(b);
  }
  scalar(type: GGUFScalarType, v: GGUFScalar, key: string): void {
    const num = (): number => {
      if (typeof v !== "number") throw new Error(`GGUF metadata ${key}: ${type} needs a number, got ${typeof v}`);
      return v;
    };
    switch (type) {
      case "uint8":
        return this.fixed(1, (dv) => dv.setUint8(0, num()));
      case "int8":
        return this.fixed(1, (dv) => dv.setInt8(0, num()));
      case "uint16":
        return this.fixed(2, (dv) => dv.setUint16(0, num(), true));
      case "int16":
        return this.fixed(2, (dv) => dv.setInt16(0, num(), true));
      case "uint32":
        return this.fixed(4, (dv) => dv.setUint32(0, num(), true));
      case "int32":
        return this.fixed(4, (dv) => dv.setInt32(0, num(), true));
      case "float32":
        return this.fixed(4, (dv) => dv.setFloat32(0, num(), true));
      case "float64":
        return this.fixed(8, (dv) => dv.setFloat64(0, num(), true));
      case "bool":
        if (typeof v !== "boolean") throw new Error(`GGUF metadata ${key}: bool needs a boolean, got ${typeof v}`);
        return this.fixed(1, (dv) => dv.setUint8(0, v ? 1 : 0));
      case "string":
        if (typeof v !== "string") throw new Error(`GGUF metadata ${key}: string needs a string, got ${typeof v}`);
        return this.string(v);
      case "uint64":
      case "int64": {
        if (typeof v !== "number" && typeof v !== "bigint")
          throw new Error(`GGUF metadata ${key}: ${type} needs a number or bigint`);
        const big = BigInt(v);
        return this.fixed(8, (dv) =>
          type === "uint64" ? dv.setBigUint64(0, big, true) : dv.setBigInt64(0, big, true),
        );
      }
    }
  }
  pad(alignment: number): void {
    const n = alignOffset(this.length, alignment) - this.length;
    if (n) this.bytes(new Uint8Array(n));
  }
}

/** Encode float32 values in a ggml type (blocks run along the innermost dimension). */
export function encodeTensor(type: GGMLType, data: Float32Array, shape: number[]): Uint8Array {
  const n = shape.reduce((a, b) => a * b, 1);
  if (data.length !== n) throw new Error(`encodeTensor: data has ${data.length} values, shape [${shape}] needs ${n}`);
  const inner = shape[shape.length - 1];
  if (inner % GGML_TYPES[type].blockSize !== 0)
    throw new Error(
      `encodeTensor: ${type} needs the innermost dimension (${inner}) to be a multiple of ${GGML_TYPES[type].blockSize}`,
    );
  if (type === "f32") return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  if (type === "f16") return encodeF16(data);
  return quantizeRow(type, data); // rows are whole blocks, so the flat array quantises row by row
}

/** The file as chunks of bytes: header, metadata, tensor infos, padding, aligned data. */
export function encodeGGUF(
  metadataIn: Record<string, GGUFValue>,
  tensors: GGUFTensorInput[],
  alignment = GGUF_DEFAULT_ALIGNMENT,
): Uint8Array[] {
  if (!Number.isInteger(alignment) || alignment <= 0 || alignment % 8 !== 0)
    throw new Error(`GGUF: alignment must be a positive multiple of 8, got ${alignment}`);
  const metadata = { ...metadataIn };
  if (!metadata["general.architecture"])
    throw new Error(`GGUF: metadata must have general.architecture (e.g. kv.str("gpt2"))`);
  metadata["general.alignment"] = kv.u32(alignment); // always written, though 32 is the default
  if (tensors.some((t) => t.type !== "f32" && t.type !== "f16") && !metadata["general.quantization_version"]) {
    metadata["general.quantization_version"] = kv.u32(GGML_QUANTIZATION_VERSION);
  }
  const names = new Set<string>();
  for (const t of tensors) {
    if (names.has(t.name)) throw new Error(`GGUF: tensor name "${t.name}" appears twice`);
    if (new TextEncoder().encode(t.name).length > 64)
      throw new Error(`GGUF: tensor name "${t.name}" is longer than 64 bytes`);
    names.add(t.name);
  }
  const data = tensors.map((t) => encodeTensor(t.type, t.data, t.shape));

  const w = new Writer();
  w.u32(GGUF_MAGIC);
  w.u32(GGUF_VERSION);
  w.u64(tensors.length);
  w.u64(Object.keys(metadata).length);
  for (const [key, v] of Object.entries(metadata)) {
    w.string(key);
    w.u32(GGUF_VALUE_TYPES[v.type]);
    if (v.type === "array") {
      w.u32(GGUF_VALUE_TYPES[v.itemType]);
      w.u64(v.value.length);
      for (const item of v.value) w.scalar(v.itemType, item, key);
    } else {
      w.scalar(v.type, v.value, key);
    }
  }
  let offset = 0;
  tensors.forEach((t, i) => {
    w.string(t.name);
    w.u32(t.shape.length);
    for (const d of [...t.shape].reverse()) w.u64(d);
    w.u32(GGML_TYPES[t.type].id);
    w.u64(offset);
    offset = alignOffset(offset + data[i].length, alignment);
  });
  w.pad(alignment);
  for (const d of data) {
    w.bytes(d);
    w.pad(alignment);
  }
  return w.chunks;
}

/** Write a GGUF file atomically (temp file, then rename). Returns its size in bytes. */
export function writeGGUF(
  path: string,
  metadata: Record<string, GGUFValue>,
  tensors: GGUFTensorInput[],
  alignment?: number,
): number {
  const chunks = encodeGGUF(metadata, tensors, alignment);
  const tmp = `${path}.tmp-${process.pid}`;
  let size = 0;
  const fd = openSync(tmp, "w");
  try {
    for (const c of chunks) size += writeSync(fd, c);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path);
  return size;
}
