// GGUF v3 (ggml/docs/gguf.md): the file format of ggml and llama.cpp. Layout:
//   "GGUF" u32 version=3, u64 tensor_count, u64 kv_count,
//   kv_count x (string key, u32 value_type, value),
//   tensor_count x (string name, u32 n_dims, u64 dims[n_dims], u32 ggml_type, u64 offset),
//   zero padding to general.alignment (default 32), then the tensor data, each tensor at
//   an aligned offset relative to the start of the data. Strings are u64 length + UTF-8.
// Little-endian throughout. dims are innermost first (ggml's ne): a row-major [out, in]
// weight has dims [in, out], and quantisation blocks run along dims[0].
import { readFileSync } from "fs";
import { decodeF16 } from "./fp16";
import { GGMLType, dequantizeRow, ggmlRowBytes, ggmlTypeFromId } from "./ggml";

export const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
export const GGUF_VERSION = 3;
export const GGUF_DEFAULT_ALIGNMENT = 32;

export type GGUFScalarType =
  | "uint8"
  | "int8"
  | "uint16"
  | "int16"
  | "uint32"
  | "int32"
  | "float32"
  | "bool"
  | "string"
  | "uint64"
  | "int64"
  | "float64";
export type GGUFScalar = number | bigint | string | boolean;
export type GGUFValue =
  { type: GGUFScalarType; value: GGUFScalar } | { type: "array"; itemType: GGUFScalarType; value: GGUFScalar[] };

/** gguf_metadata_value_type ids. */
export const GGUF_VALUE_TYPES: Record<GGUFScalarType | "array", number> = {
  uint8: 0,
  int8: 1,
  uint16: 2,
  int16: 3,
  uint32: 4,
  int32: 5,
  float32: 6,
  bool: 7,
  string: 8,
  array: 9,
  uint64: 10,
  int64: 11,
  float64: 12,
};

/** Typed metadata values: kv.u32(3), kv.str("gpt2"), kv.arr("string", tokens), ... */
export const kv = {
  u8: (v: number): GGUFValue => ({ type: "uint8", value: v }),
  i32: (v: number): GGUFValue => ({ type: "int32", value: v }),
  u32: (v: number): GGUFValue => ({ type: "uint32", value: v }),
  u64: (v: number | bigint): GGUFValue => ({ type: "uint64", value: v }),
  f32: (v: number): GGUFValue => ({ type: "float32", value: v }),
  bool: (v: boolean): GGUFValue => ({ type: "bool", value: v }),
  str: (v: string): GGUFValue => ({ type: "string", value: v }),
  arr: (itemType: GGUFScalarType, value: GGUFScalar[]): GGUFValue => ({ type: "array", itemType, value }),
};

export interface GGUFTensorInfo {
  name: string;
  /** ggml's ne: innermost first. */
  dims: number[];
  /** The same, outermost first (row-major, as torch/tfjs write shapes). */
  shape: number[];
  type: GGMLType;
  /** Byte offset relative to the start of the tensor data. */
  offset: number;
  bytes: number;
}

export interface GGUFFile {
  version: number;
  metadata: Record<string, GGUFValue>;
  tensors: GGUFTensorInfo[];
  alignment: number;
  /** Absolute byte offset of the tensor data. */
  dataOffset: number;
  bytes: Uint8Array;
}

export function alignOffset(offset: number, alignment: number): number {
  return offset + ((alignment - (offset % alignment)) % alignment);
}

/** Bytes of a tensor with these dims (innermost first) in this type. */
export function tensorBytes(type: GGMLType, dims: number[]): number {
  const rows = dims.slice(1).reduce((a, b) => a * b, 1);
  return rows * ggmlRowBytes(type, dims[0]);
}

class Cursor {
  private readonly dv: DataView;
  private readonly text = new TextDecoder("utf-8", { fatal: true });
  constructor(
    private readonly b: Uint8Array,
    public pos = 0,
  ) {
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  private need(n: number, what: string): number {
    if (this.pos + n > this.b.length)
      throw new Error(`GGUF: file ends at byte ${this.b.length} inside ${what} (at ${this.pos})`);
    const p = this.pos;
    this.pos += n;
    return p;
  }
  u32(what = "u32"): number {
    return this.dv.getUint32(this.need(4, what), true);
  }
  u64(what = "u64"): number {
    const v = this.dv.getBigUint64(this.need(8, what), true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`GGUF: ${what} ${v} is too large`);
    return Number(v);
  }
  string(what: string): string {
    const n = this.u64(`${what} length`);
    const p = this.need(n, what);
    return this.text.decode(this.b.subarray(p, p + n));
  }
  scalar(type: GGUFScalarType, what: string): GGUFScalar {
    const dv = this.dv;
    switch (type) {
      case "uint8":
        return dv.getUint8(this.need(1, what));
      case "int8":
        return dv.getInt8(this.need(1, what));
      case "uint16":
        return dv.getUint16(this.need(2, what), true);
      case "int16":
        return dv.getInt16(this.need(2, what), true);
      case "uint32":
        return dv.getUint32(this.need(4, what), true);
      case "int32":
        return dv.getInt32(this.need(4, what), true);
      case "float32":
        return dv.getFloat32(this.need(4, what), true);
      case "bool": {
        const v = dv.getUint8(this.need(1, what));
        if (v > 1) throw new Error(`GGUF: ${what} is a bool with byte ${v} (expected 0 or 1)`);
        return v === 1;
      }
      case "string":
        return this.string(what);
      case "uint64":
        return dv.getBigUint64(this.need(8, what), true);
      case "int64":
        return dv.getBigInt64(this.need(8, what), true);
      case "float64":
        return dv.getFloat64(this.need(8, what), true);
    }
  }
}

function valueTypeName(id: number, what: string): GGUFScalarType | "array" {
  for (const [name, v] of Object.entries(GGUF_VALUE_TYPES)) if (v === id) return name as GGUFScalarType | "array";
  throw new Error(`GGUF: ${what} has unknown value type ${id}`);
}

/** Parse a GGUF v3 file held in memory. */
export function parseGGUF(bytes: Uint8Array): GGUFFile {
  const c = new Cursor(bytes);
  const magic = c.u32("magic");
  if (magic !== GGUF_MAGIC) throw new Error(`GGUF: not a GGUF file (magic 0x${magic.toString(16)}, expected "GGUF")`);
  const version = c.u32("version");
  if (version !== GGUF_VERSION) throw new Error(`GGUF: version ${version} is not supported (expected ${GGUF_VERSION})`);
  const nTensors = c.u64("tensor_count");
  const nKV = c.u64("metadata_kv_count");
  const metadata: Record<string, GGUFValue> = {};
  for (let i = 0; i < nKV; i++) {
    const key = c.string(`metadata key ${i}`);
    const type = valueTypeName(c.u32(key), key);
    if (type === "array") {
      const itemType = valueTypeName(c.u32(key), `${key} items`);
      if (itemType === "array") throw new Error(`GGUF: ${key} is a nested array, which this reader does not support`);
      const n = c.u64(`${key} length`);
      const value: GGUFScalar[] = [];
      for (let k = 0; k < n; k++) value.push(c.scalar(itemType, key));
      metadata[key] = { type, itemType, value };
    } else {
      metadata[key] = { type, value: c.scalar(type, key) };
    }
  }
  const a = metadata["general.alignment"];
  const alignment = a ? Number(a.value) : GGUF_DEFAULT_ALIGNMENT;
  if (!Number.isInteger(alignment) || alignment <= 0 || alignment % 8 !== 0)
    throw new Error(`GGUF: general.alignment ${alignment} must be a positive multiple of 8`);
  const tensors: GGUFTensorInfo[] = [];
  for (let i = 0; i < nTensors; i++) {
    const name = c.string(`tensor name ${i}`);
    const nd = c.u32(`${name} n_dims`);
    const dims = Array.from({ length: nd }, () => c.u64(`${name} dims`));
    const type = ggmlTypeFromId(c.u32(`${name} type`));
    const offset = c.u64(`${name} offset`);
    if (offset % alignment !== 0)
      throw new Error(`GGUF: tensor ${name} offset ${offset} is not aligned to ${alignment}`);
    tensors.push({ name, dims, shape: [...dims].reverse(), type, offset, bytes: tensorBytes(type, dims) });
  }
  const dataOffset = alignOffset(c.pos, alignment);
  for (const t of tensors) {
    if (dataOffset + t.offset + t.bytes > bytes.length)
      throw new Error(`GGUF: tensor ${t.name} (${t.bytes} bytes at ${t.offset}) runs past the end of the file`);
  }
  return { version, metadata, tensors, alignment, dataOffset, bytes };
}

export function readGGUF(path: string): GGUFFile {
  const b = readFileSync(path);
  return parseGGUF(new Uint8Array(b.buffer, b.byteOffset, b.length)); // a plain view: Buffer.slice would not copy
}

/** A tensor's raw bytes (as stored: f32, f16 or blocks). */
export function tensorRawBytes(file: GGUFFile, name: string): Uint8Array {
  const t = file.tensors.find((x) => x.name === name);
  if (!t) throw new Error(`GGUF: no tensor named "${name}" (have ${file.tensors.map((x) => x.name).join(", ")})`);
  const o = file.dataOffset + t.offset;
  return file.bytes.subarray(o, o + t.bytes);
}

/** A tensor's values as float32, dequantised if stored in blocks; row-major over `shape`. */
export function tensorValues(file: GGUFFile, name: string): Float32Array {
  const raw = tensorRawBytes(file, name);
  const t = file.tensors.find((x) => x.name === name) as GGUFTensorInfo;
  const n = t.dims.reduce((a, b) => a * b, 1);
  if (t.type === "f32") {
    const copy = new Uint8Array(raw.length); // aligned, and detached from the file's buffer
    copy.set(raw);
    return new Float32Array(copy.buffer, 0, n);
  }
  if (t.type === "f16") return decodeF16(raw, n);
  return dequantizeRow(t.type, raw, n);
}
