// GGML's legacy block formats, bit-exact with ggml's quantize_row_*_ref / dequantize_row_*
// (ggml/src/ggml-quants.c). A row is cut into blocks of 32 weights; each block stores an
// fp16 scale d (and for the *_1 formats an fp16 minimum m) followed by packed integers.
//
//   Q8_0  34 bytes: d, int8 q[32]                      x = q*d
//   Q4_0  18 bytes: d, 16 bytes of nibbles             x = (q-8)*d       q in 0..15
//   Q4_1  20 bytes: d, m, 16 bytes of nibbles          x = q*d + m
//   Q5_0  22 bytes: d, qh (32 high bits), 16 nibbles   x = (q-16)*d      q in 0..31
//   Q5_1  24 bytes: d, m, qh, 16 nibbles               x = q*d + m
//
// Nibble order: byte j holds weight j in its low nibble and weight j+16 in its high nibble.
// Q5 high bits: bit j of the little-endian uint32 qh is the 5th bit of weight j (j < 32).
// ggml does this arithmetic in float32, so every step below is wrapped in Math.fround to
// reproduce its roundings; on two floats a double op followed by fround equals the float op.
// The k-quants Q4_K and Q6_K (super-blocks of 256) live in kquants.ts; quantizeRow and
// dequantizeRow below take every block type.
import { fp32ToFp16, fp16ToFp32 } from "./fp16";
import { KQuantType, QK_K, Q4_K_BYTES, Q6_K_BYTES, dequantizeRowK, quantizeRowK } from "./kquants";

const fr = Math.fround;

export const QK = 32; // weights per block, all five legacy formats

export type GGMLLegacyType = "q8_0" | "q4_0" | "q4_1" | "q5_0" | "q5_1";
export type GGMLBlockType = GGMLLegacyType | KQuantType;
export type GGMLType = "f32" | "f16" | GGMLBlockType;

/** ggml_type ids (ggml.h), weights per block and bytes per block. */
export const GGML_TYPES: Record<GGMLType, { id: number; blockSize: number; typeSize: number }> = {
  f32: { id: 0, blockSize: 1, typeSize: 4 },
  f16: { id: 1, blockSize: 1, typeSize: 2 },
  q4_0: { id: 2, blockSize: QK, typeSize: 18 },
  q4_1: { id: 3, blockSize: QK, typeSize: 20 },
  q5_0: { id: 6, blockSize: QK, typeSize: 22 },
  q5_1: { id: 7, blockSize: QK, typeSize: 24 },
  q8_0: { id: 8, blockSize: QK, typeSize: 34 },
  q4_k: { id: 12, blockSize: QK_K, typeSize: Q4_K_BYTES },
  q6_k: { id: 14, blockSize: QK_K, typeSize: Q6_K_BYTES },
};

const isKQuant = (t: GGMLBlockType): t is KQuantType => t === "q4_k" || t === "q6_k";

export function ggmlTypeFromId(id: number): GGMLType {
  for (const [name, t] of Object.entries(GGML_TYPES)) if (t.id === id) return name as GGMLType;
  throw new Error(
    `ggml type id ${id} is not supported here (supported: ${Object.values(GGML_TYPES)
      .map((t) => t.id)
      .join(", ")})`,
  );
}

/**
 * The type a tensor with rows of `cols` weights is stored in when `type` is asked for, as
 * llama.cpp's quantiser decides (llama_tensor_get_type): k-quants need rows that are whole
 * super-blocks of 256 and fall back to Q4_K -> Q5_0, Q6_K -> Q8_0; any block type whose blocks
 * do not fit the row leaves it in f32 (llama.cpp would use f16; f32 keeps our files lossless there).
 */
export function storedType(type: GGMLType, cols: number): GGMLType {
  const fallback: Partial<Record<GGMLType, GGMLType>> = { q4_k: "q5_0", q6_k: "q8_0" };
  let t = type;
  if (cols % GGML_TYPES[t].blockSize !== 0 && fallback[t]) t = fallback[t] as GGMLType;
  return cols % GGML_TYPES[t].blockSize === 0 ? t : "f32";
}

/** Bytes that n weights take in this type. */
export function ggmlRowBytes(type: GGMLType, n: number): number {
  const t = GGML_TYPES[type];
  if (n % t.blockSize !== 0) throw new Error(`${type}: the row length ${n} must be a multiple of ${t.blockSize}`);
  return (n / t.blockSize) * t.typeSize;
}

/** C's roundf: half away from zero (Math.round rounds half up). */
function roundf(x: number): number {
  const t = Math.trunc(x);
  return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
}

/** The signed value of largest magnitude (the first one on ties), as ggml's q4_0/q5_0 search. */
function signedAbsMax(x: Float32Array, o: number): number {
  let amax = 0;
  let max = 0;
  for (let j = 0; j < QK; j++) {
    const v = x[o + j];
    if (amax < Math.abs(v)) {
      amax = Math.abs(v);
      max = v;
    }
  }
  return max;
}

function minMax(x: Float32Array, o: number): [number, number] {
  let min = 3.4028234663852886e38; // FLT_MAX
  let max = -3.4028234663852886e38;
  for (let j = 0; j < QK; j++) {
    const v = x[o + j];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}

function quantizeBlock(type: GGMLLegacyType, x: Float32Array, o: number, dv: DataView, b: number): void {
  const out = new Uint8Array(dv.buffer, dv.byteOffset + b, GGML_TYPES[type].typeSize);
  if (type === "q8_0") {
    let amax = 0;
    for (let j = 0; j < QK; j++) amax = Math.max(amax, Math.abs(x[o + j]));
    const d = fr(amax / 127);
    const id = d ? fr(1 / d) : 0;
    dv.setUint16(b, fp32ToFp16(d), true);
    for (let j = 0; j < QK; j++) dv.setInt8(b + 2 + j, roundf(fr(x[o + j] * id)));
    return;
  }
  if (type === "q4_0" || type === "q5_0") {
    const nq = type === "q4_0" ? 8 : 16; // half the code range: the codes are 0..2*nq-1
    const d = fr(signedAbsMax(x, o) / -nq);
    const id = d ? fr(1 / d) : 0;
    dv.setUint16(b, fp32ToFp16(d), true);
    // (int8_t)(x*id + nq + 0.5) truncates: round-to-nearest of a value shifted to be >= 0.
    const code = (v: number) => Math.min(2 * nq - 1, Math.trunc(fr(fr(v * id) + nq + 0.5)));
    packCodes(type === "q5_0", x, o, code, out, 2);
    return;
  }
  const [min, max] = minMax(x, o);
  const levels = type === "q4_1" ? 15 : 31;
  const d = fr(fr(max - min) / levels);
  const id = d ? fr(1 / d) : 0;
  dv.setUint16(b, fp32ToFp16(d), true);
  dv.setUint16(b + 2, fp32ToFp16(min), true);
  // q4_1 clamps to 15; q5_1's reference does not clamp (its codes cannot exceed 31 anyway).
  const code =
    type === "q4_1"
      ? (v: number) => Math.min(15, Math.trunc(fr(fr(fr(v - min) * id) + 0.5)))
      : (v: number) => Math.trunc(fr(fr(fr(v - min) * id) + 0.5)) & 0xff;
  packCodes(type === "q5_1", x, o, code, out, 4);
}

/** Nibbles j | j+16 per byte; with five bits, the fifth bits go to the uint32 qh before them. */
function packCodes(
  five: boolean,
  x: Float32Array,
  o: number,
  code: (v: number) => number,
  out: Uint8Array,
  at: number,
): void {
  let qh = 0;
  const qs = five ? at + 4 : at;
  for (let j = 0; j < QK / 2; j++) {
    const c0 = code(x[o + j]);
    const c1 = code(x[o + j + QK / 2]);
    out[qs + j] = (c0 & 0x0f) | ((c1 & 0x0f) << 4);
    qh |= ((c0 & 0x10) >>> 4) << j;
    qh |= ((c1 & 0x10) >>> 4) << (j + QK / 2);
  }
  if (five) new DataView(out.buffer, out.byteOffset + at, 4).setUint32(0, qh >>> 0, true);
}

/** Quantise a row (length a multiple of the type's block: 32, or 256 for k-quants) into consecutive blocks. */
export function quantizeRow(type: GGMLBlockType, x: Float32Array): Uint8Array {
  if (isKQuant(type)) return quantizeRowK(type, x);
  const out = new Uint8Array(ggmlRowBytes(type, x.length));
  const dv = new DataView(out.buffer);
  const size = GGML_TYPES[type].typeSize;
  for (let i = 0; i < x.length / QK; i++) quantizeBlock(type, x, i * QK, dv, i * size);
  return out;
}

/** Decode n weights from blocks (the inverse of quantizeRow, up to rounding). */
export function dequantizeRow(type: GGMLBlockType, bytes: Uint8Array, n: number): Float32Array {
  if (isKQuant(type)) return dequantizeRowK(type, bytes, n);
  const size = GGML_TYPES[type].typeSize;
  const need = ggmlRowBytes(type, n);
  if (bytes.length < need)
    throw new Error(`dequantizeRow(${type}): ${n} weights need ${need} bytes, got ${bytes.length}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const y = new Float32Array(n);
  for (let i = 0; i < n / QK; i++) {
    const b = i * size;
    const o = i * QK;
    const d = fp16ToFp32(dv.getUint16(b, true));
    if (type === "q8_0") {
      for (let j = 0; j < QK; j++) y[o + j] = dv.getInt8(b + 2 + j) * d;
      continue;
    }
    const hasMin = type === "q4_1" || type === "q5_1";
    const m = hasMin ? fp16ToFp32(dv.getUint16(b + 2, true)) : 0;
    const at = hasMin ? b + 4 : b + 2;
    const five = type === "q5_0" || type === "q5_1";
    const qh = five ? dv.getUint32(at, true) : 0;
    const qs = five ? at + 4 : at;
    const offset = type === "q4_0" ? 8 : type === "q5_0" ? 16 : 0;
    for (let j = 0; j < QK / 2; j++) {
      const byte = bytes[qs + j];
      const c0 = (byte & 0x0f) | (((qh >>> j) << 4) & 0x10);
      const c1 = (byte >>> 4) | ((qh >>> (j + 12)) & 0x10);
      // x*d + m is two float roundings in ggml (no fused multiply-add in its reference build).
      y[o + j] = hasMin ? fr(c0 * d) + m : (c0 - offset) * d;
      y[o + j + QK / 2] = hasMin ? fr(c1 * d) + m : (c1 - offset) * d;
    }
  }
  return y;
}
