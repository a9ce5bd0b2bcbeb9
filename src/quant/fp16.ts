// IEEE 754 binary16 ("half", ggml_fp16_t) <-> binary32 conversion.
// Written by hand because Node 20 has neither Float16Array nor Math.f16round, and GGML
// stores every block scale as a half: the conversion must round to nearest, ties to even,
// exactly as ggml's GGML_FP32_TO_FP16 (and the F16C instruction it mirrors) does.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** binary32 value -> binary16 bit pattern (round to nearest even; NaN -> 0x7e00 as ggml). */
export function fp32ToFp16(x: number): number {
  f32[0] = x;
  const w = u32[0];
  const sign = (w >>> 16) & 0x8000;
  const exp = (w >>> 23) & 0xff;
  const mant = w & 0x7fffff;
  if (exp === 0xff) return sign | (mant !== 0 ? 0x7e00 : 0x7c00);
  const e = exp - 127 + 15; // the half's biased exponent
  if (e >= 0x1f) return sign | 0x7c00; // too large even before rounding: infinity
  if (e <= 0) {
    // Subnormal half: value = m * 2^-24 with m = significand >> (126 - exp).
    const shift = 126 - exp;
    if (shift > 24) return sign; // below half the smallest subnormal: rounds to zero
    const sig = mant | 0x800000;
    let h = sig >>> shift;
    const rest = sig & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rest > half || (rest === half && (h & 1) === 1)) h++; // a carry into 0x400 is the smallest normal
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (h & 1) === 1)) h++; // a carry may reach 0x7c00 = infinity: correct
  return sign | h;
}

/** binary16 bit pattern -> its exact value (every half is exactly a float). */
export function fp16ToFp32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant !== 0 ? NaN : sign * Infinity;
  return sign * (1024 + mant) * 2 ** (exp - 25);
}

/** Round a number to the nearest half and back (what storing it as fp16 does to it). */
export function roundToFp16(x: number): number {
  return fp16ToFp32(fp32ToFp16(x));
}

/** Float32Array -> packed little-endian halves. */
export function encodeF16(x: Float32Array): Uint8Array {
  const out = new Uint8Array(x.length * 2);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < x.length; i++) dv.setUint16(2 * i, fp32ToFp16(x[i]), true);
  return out;
}

export function decodeF16(bytes: Uint8Array, n: number): Float32Array {
  if (bytes.length < 2 * n) throw new Error(`decodeF16: need ${2 * n} bytes for ${n} halves, got ${bytes.length}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = fp16ToFp32(dv.getUint16(2 * i, true));
  return out;
}
