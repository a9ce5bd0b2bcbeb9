// GGML's k-quants Q4_K and Q6_K (the two formats llama.cpp's Q4_K_M mixes), bit-exact with
// ggml's quantize_row_q4_K_ref / quantize_row_q6_K_ref and dequantize_row_q4_K / _q6_K
// (ggml/src/ggml-quants.c). A row is cut into super-blocks of 256 weights; each super-block
// has sub-blocks with their own scale, and the sub-block scales are themselves quantised
// against one fp16 super-scale. Unlike the legacy formats, the scale of a sub-block is not
// max/range but a small search for the scale (and minimum) of least weighted squared error.
//
//   Q4_K  144 bytes: fp16 d, fp16 dmin, 12 bytes of 6-bit scales/mins for 8 sub-blocks of 32,
//         128 bytes of nibbles.            x = d*sc_j * q - dmin*m_j        q in 0..15
//   Q6_K  210 bytes: 128 bytes low nibbles ql, 64 bytes high 2-bit pairs qh, int8 scales for
//         16 sub-blocks of 16, fp16 d.     x = d*sc_j * (q - 32)            q in 0..63
//
// Q4_K's 12 scale bytes: for sub-block j < 4, byte j holds sc_j and byte j+4 holds m_j (6 bits
// each); for j >= 4, byte j+4 holds sc_j's low 4 bits | m_j's low 4 bits << 4, and their top
// 2 bits ride in the spare top bits of bytes j-4 (sc) and j (m).
// Q4_K nibbles: each 64 weights share 32 bytes, weight l in the low nibble, weight l+32 high.
// Q6_K: each 128 weights share 64 ql bytes and 32 qh bytes; weights l, l+32, l+64, l+96 have
// their low nibbles in ql[l] lo, ql[l+32] lo, ql[l] hi, ql[l+32] hi and their top 2 bits in
// qh[l] at bits 0, 2, 4, 6.
// As in ggml.ts, every float32 operation of the C code is a double op followed by Math.fround.
import { fp16ToFp32, fp32ToFp16 } from "./fp16";

// Read once: in a vm context (jest, the notebook kernel) every lookup of the global Math is slow.
const { fround: fr, abs: fabs, sqrt, min: imin } = Math;

export const QK_K = 256;
export const Q4_K_BYTES = 144;
export const Q6_K_BYTES = 210;

const GROUP_MAX_EPS = fr(1e-15); // ggml: an all-but-zero group is stored as zeros
const RDELTA = fr(0.1); // the 0.1f steps of both scale searches

const nearestBuf = new Float32Array(1);
const nearestBits = new Int32Array(nearestBuf.buffer);
/**
 * ggml's nearest_int: adding 1.5·2^23 in float32 makes the FPU round (half to even) into the
 * low mantissa bits, which are then read back. Done the same way here so that values out of
 * its range (|f| > 2^22) give ggml's same wrapped result rather than a "better" one.
 */
function nearestInt(f: number): number {
  nearestBuf[0] = f + 12582912;
  return (nearestBits[0] & 0x007fffff) - 0x00400000;
}

const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);

/**
 * make_qkx2_quants (squared-error variant): codes L in 0..nmax for x ≈ scale*L - min over n
 * weights at x[o..], weighted by w. Starts from the min-max grid, then tries nstep+1 grids of
 * (nmax + rmin + rdelta*is) steps over [min, max] (min as last improved), each refitted by weighted least squares
 * for (scale, min), and keeps the one of smallest weighted squared error. min is clamped to
 * <= 0 (a grid that always covers zero). Writes -min (>= 0) to out[1], returns the scale.
 */
function fitScaleMin(
  x: Float32Array,
  o: number,
  n: number,
  nmax: number,
  w: Float32Array,
  L: Uint8Array,
  lo: number,
  aux: Uint8Array,
  rmin: number,
  nstep: number,
  out: Float32Array,
): number {
  let min = x[o];
  let max = x[o];
  let sumW = w[0];
  let sumX = fr(sumW * x[o]);
  for (let i = 1; i < n; i++) {
    const v = x[o + i];
    if (v < min) min = v;
    if (v > max) max = v;
    sumW = fr(sumW + w[i]);
    sumX = fr(sumX + fr(w[i] * v));
  }
  if (min > 0) min = 0;
  if (max === min) {
    L.fill(0, lo, lo + n);
    out[1] = -min;
    return 0;
  }
  let iscale = fr(nmax / fr(max - min));
  let scale = fr(1 / iscale);
  let bestError = 0;
  for (let i = 0; i < n; i++) {
    const l = clamp(nearestInt(fr(iscale * fr(x[o + i] - min))), 0, nmax);
    L[lo + i] = l;
    const diff = fr(fr(fr(scale * l) + min) - x[o + i]);
    bestError = fr(bestError + fr(w[i] * fr(diff * diff)));
  }
  for (let is = 0; is <= nstep; is++) {
    // min moves to each better fit's; later grids start from it (as ggml's do)
    iscale = fr(fr(fr(rmin + fr(RDELTA * is)) + nmax) / fr(max - min));
    let sumL = 0;
    let sumL2 = 0;
    let sumXL = 0;
    for (let i = 0; i < n; i++) {
      const l = clamp(nearestInt(fr(iscale * fr(x[o + i] - min))), 0, nmax);
      aux[i] = l;
      const wl = fr(w[i] * l);
      sumL = fr(sumL + wl);
      sumL2 = fr(sumL2 + fr(wl * l));
      sumXL = fr(sumXL + fr(wl * x[o + i]));
    }
    const D = fr(fr(sumW * sumL2) - fr(sumL * sumL));
    if (!(D > 0)) continue;
    let thisScale = fr(fr(fr(sumW * sumXL) - fr(sumX * sumL)) / D);
    let thisMin = fr(fr(fr(sumL2 * sumX) - fr(sumL * sumXL)) / D);
    if (thisMin > 0) {
      thisMin = 0;
      thisScale = fr(sumXL / sumL2);
    }
    let err = 0;
    for (let i = 0; i < n; i++) {
      const diff = fr(fr(fr(thisScale * aux[i]) + thisMin) - x[o + i]);
      err = fr(err + fr(w[i] * fr(diff * diff)));
    }
    if (err < bestError) {
      for (let i = 0; i < n; i++) L[lo + i] = aux[i];
      bestError = err;
      scale = thisScale;
      min = thisMin;
    }
  }
  out[1] = -min;
  return scale;
}

/**
 * make_qx_quants with weights x² (rmse_type 1): symmetric codes L in 0..2·nmax-1 (value
 * L - nmax) for n weights at x[o..]. The signed absmax lands on -nmax; then 18 nearby grids
 * (nmax ± 0.1·k steps) are tried and the one whose least-squares scale explains most of the
 * weighted signal (largest sumlx²/suml2) is kept. Returns that scale.
 */
function fitSymmetric(x: Float32Array, o: number, n: number, nmax: number, L: Uint8Array, lo: number): number {
  let max = 0;
  let amax = 0;
  for (let i = 0; i < n; i++) {
    const ax = fabs(x[o + i]);
    if (ax > amax) {
      amax = ax;
      max = x[o + i];
    }
  }
  if (amax < GROUP_MAX_EPS) {
    L.fill(0, lo, lo + n);
    return 0;
  }
  const sums = (iscale: number, write: boolean): [number, number] => {
    let sumlx = 0;
    let suml2 = 0;
    for (let i = 0; i < n; i++) {
      const v = x[o + i];
      const l = clamp(nearestInt(fr(iscale * v)), -nmax, nmax - 1);
      if (write) L[lo + i] = l + nmax;
      const w = fr(v * v);
      sumlx = fr(sumlx + fr(fr(w * v) * l));
      suml2 = fr(suml2 + fr(fr(w * l) * l));
    }
    return [sumlx, suml2];
  };
  let [sumlx, suml2] = sums(fr(-nmax / max), true);
  let scale = suml2 ? fr(sumlx / suml2) : 0;
  let best = fr(scale * sumlx);
  for (let is = -9; is <= 9; is++) {
    if (is === 0) continue;
    const iscale = fr(-fr(nmax + fr(RDELTA * is)) / max);
    [sumlx, suml2] = sums(iscale, false);
    if (suml2 > 0 && fr(sumlx * sumlx) > fr(best * suml2)) {
      sums(iscale, true);
      scale = fr(sumlx / suml2);
      best = fr(scale * sumlx);
    }
  }
  return scale;
}

/** Q4_K's 6-bit scale and min of sub-block j from the 12 packed bytes at s[o..] (get_scale_min_k4). */
function scaleMinK4(j: number, s: Uint8Array, o: number): [number, number] {
  if (j < 4) return [s[o + j] & 63, s[o + j + 4] & 63];
  return [(s[o + j + 4] & 0x0f) | ((s[o + j - 4] >> 6) << 4), (s[o + j + 4] >> 4) | ((s[o + j] >> 6) << 4)];
}

interface Scratch {
  L: Uint8Array;
  aux: Uint8Array;
  w: Float32Array;
  scales: Float32Array;
  mins: Float32Array;
  pair: Float32Array;
}
const newScratch = (): Scratch => ({
  L: new Uint8Array(QK_K),
  aux: new Uint8Array(32),
  w: new Float32Array(32),
  scales: new Float32Array(16),
  mins: new Float32Array(16),
  pair: new Float32Array(2),
});

function quantizeQ4KBlock(x: Float32Array, o: number, out: Uint8Array, b: number, s: Scratch): void {
  const { L, aux, w, scales, mins, pair } = s;
  let maxScale = 0;
  let maxMin = 0;
  for (let j = 0; j < 8; j++) {
    // Weights: each value's magnitude plus the sub-block's RMS, so large weights matter more
    // without the small ones being ignored.
    let sumX2 = 0;
    for (let l = 0; l < 32; l++) sumX2 = fr(sumX2 + fr(x[o + 32 * j + l] * x[o + 32 * j + l]));
    const avX = fr(sqrt(fr(sumX2 / 32)));
    for (let l = 0; l < 32; l++) w[l] = avX + fabs(x[o + 32 * j + l]); // the Float32Array store rounds
    scales[j] = fitScaleMin(x, o + 32 * j, 32, 15, w, L, 32 * j, aux, -1, 20, pair);
    mins[j] = pair[1];
    if (scales[j] > maxScale) maxScale = scales[j];
    if (mins[j] > maxMin) maxMin = mins[j];
  }
  const invScale = maxScale > 0 ? fr(63 / maxScale) : 0;
  const invMin = maxMin > 0 ? fr(63 / maxMin) : 0;
  const sc = b + 4; // the 12 scale bytes
  for (let j = 0; j < 8; j++) {
    const ls = imin(63, nearestInt(fr(invScale * scales[j])) & 0xff); // C stores the int in a uint8_t first
    const lm = imin(63, nearestInt(fr(invMin * mins[j])) & 0xff);
    if (j < 4) {
      out[sc + j] = ls;
      out[sc + j + 4] = lm;
    } else {
      out[sc + j + 4] = (ls & 0x0f) | ((lm & 0x0f) << 4);
      out[sc + j - 4] |= (ls >> 4) << 6;
      out[sc + j] |= (lm >> 4) << 6;
    }
  }
  const dv = new DataView(out.buffer, out.byteOffset + b, 4);
  dv.setUint16(0, fp32ToFp16(fr(maxScale / 63)), true);
  dv.setUint16(2, fp32ToFp16(fr(maxMin / 63)), true);
  // Requantise every weight against the scales as stored (fp16 super-scale times 6-bit code).
  const d = fp16ToFp32(dv.getUint16(0, true));
  const dmin = fp16ToFp32(dv.getUint16(2, true));
  for (let j = 0; j < 8; j++) {
    const [scj, mj] = scaleMinK4(j, out, sc);
    const dj = fr(d * scj);
    if (!dj) continue; // a zero scale keeps the codes of the search (ggml does the same)
    const dm = fr(dmin * mj);
    for (let l = 0; l < 32; l++) L[32 * j + l] = clamp(nearestInt(fr(fr(x[o + 32 * j + l] + dm) / dj)), 0, 15);
  }
  const qs = b + 16;
  for (let j = 0; j < QK_K; j += 64) {
    for (let l = 0; l < 32; l++) out[qs + j / 2 + l] = L[j + l] | (L[j + l + 32] << 4);
  }
}

function quantizeQ6KBlock(x: Float32Array, o: number, out: Uint8Array, b: number, s: Scratch): void {
  const { L, scales } = s;
  let maxScale = 0;
  let maxAbsScale = 0;
  for (let ib = 0; ib < 16; ib++) {
    const scale = fitSymmetric(x, o + 16 * ib, 16, 32, L, 16 * ib);
    scales[ib] = scale;
    if (fabs(scale) > maxAbsScale) {
      maxAbsScale = fabs(scale);
      maxScale = scale;
    }
  }
  if (maxAbsScale < GROUP_MAX_EPS) return; // the block stays all zero bytes (d = 0)
  const iscale = fr(-128 / maxScale);
  const dv = new DataView(out.buffer, out.byteOffset + b, Q6_K_BYTES);
  dv.setUint16(208, fp32ToFp16(fr(1 / iscale)), true);
  for (let ib = 0; ib < 16; ib++) dv.setInt8(192 + ib, imin(127, nearestInt(fr(iscale * scales[ib]))));
  const d = fp16ToFp32(dv.getUint16(208, true));
  for (let j = 0; j < 16; j++) {
    const dj = fr(d * dv.getInt8(192 + j));
    if (!dj) continue;
    for (let i = 0; i < 16; i++) L[16 * j + i] = clamp(nearestInt(fr(x[o + 16 * j + i] / dj)), -32, 31) + 32;
  }
  for (let j = 0; j < QK_K; j += 128) {
    const ql = b + j / 2;
    const qh = b + 128 + j / 4;
    for (let l = 0; l < 32; l++) {
      const [q1, q2, q3, q4] = [L[j + l], L[j + l + 32], L[j + l + 64], L[j + l + 96]];
      out[ql + l] = (q1 & 0x0f) | ((q3 & 0x0f) << 4);
      out[ql + l + 32] = (q2 & 0x0f) | ((q4 & 0x0f) << 4);
      out[qh + l] = (q1 >> 4) | ((q2 >> 4) << 2) | ((q3 >> 4) << 4) | ((q4 >> 4) << 6);
    }
  }
}

export type KQuantType = "q4_k" | "q6_k";

function blockBytes(type: KQuantType): number {
  return type === "q4_k" ? Q4_K_BYTES : Q6_K_BYTES;
}

function checkLength(type: KQuantType, n: number): void {
  if (n % QK_K !== 0)
    throw new Error(`${type}: the row length ${n} must be a multiple of ${QK_K} (a k-quant super-block)`);
}

/** Quantise a row (length a multiple of 256) into consecutive Q4_K or Q6_K super-blocks. */
export function quantizeRowK(type: KQuantType, x: Float32Array): Uint8Array {
  checkLength(type, x.length);
  const size = blockBytes(type);
  const out = new Uint8Array((x.length / QK_K) * size);
  const s = newScratch();
  const block = type === "q4_k" ? quantizeQ4KBlock : quantizeQ6KBlock;
  for (let i = 0; i < x.length / QK_K; i++) block(x, i * QK_K, out, i * size, s);
  return out;
}

/** Decode n weights from Q4_K or Q6_K super-blocks (ggml's dequantize_row_q4_K / _q6_K). */
export function dequantizeRowK(type: KQuantType, bytes: Uint8Array, n: number): Float32Array {
  checkLength(type, n);
  const size = blockBytes(type);
  const need = (n / QK_K) * size;
  if (bytes.length < need)
    throw new Error(`dequantizeRow(${type}): ${n} weights need ${need} bytes, got ${bytes.length}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const y = new Float32Array(n);
  for (let i = 0; i < n / QK_K; i++) {
    const b = i * size;
    const o = i * QK_K;
    if (type === "q4_k") {
      const d = fp16ToFp32(dv.getUint16(b, true));
      const dmin = fp16ToFp32(dv.getUint16(b + 2, true));
      for (let j = 0; j < 4; j++) {
        const [sc1, m1] = scaleMinK4(2 * j, bytes, b + 4);
        const [sc2, m2] = scaleMinK4(2 * j + 1, bytes, b + 4);
        const [d1, dm1, d2, dm2] = [fr(d * sc1), fr(dmin * m1), fr(d * sc2), fr(dmin * m2)];
        for (let l = 0; l < 32; l++) {
          const q = bytes[b + 16 + 32 * j + l];
          y[o + 64 * j + l] = fr(d1 * (q & 0x0f)) - dm1;
          y[o + 64 * j + 32 + l] = fr(d2 * (q >> 4)) - dm2;
        }
      }
    } else {
      const d = fp16ToFp32(dv.getUint16(b + 208, true));
      for (let h = 0; h < 2; h++) {
        const ql = b + 64 * h;
        const qh = b + 128 + 32 * h;
        const sc = b + 192 + 8 * h;
        for (let l = 0; l < 32; l++) {
          const is = l >> 4;
          const hi = bytes[qh + l];
          const q1 = ((bytes[ql + l] & 0x0f) | ((hi & 3) << 4)) - 32;
          const q2 = ((bytes[ql + l + 32] & 0x0f) | (((hi >> 2) & 3) << 4)) - 32;
          const q3 = ((bytes[ql + l] >> 4) | (((hi >> 4) & 3) << 4)) - 32;
          const q4 = ((bytes[ql + l + 32] >> 4) | (((hi >> 6) & 3) << 4)) - 32;
          const y0 = o + 128 * h + l;
          y[y0] = fr(d * dv.getInt8(sc + is)) * q1;
          y[y0 + 32] = fr(d * dv.getInt8(sc + is + 2)) * q2;
          y[y0 + 64] = fr(d * dv.getInt8(sc + is + 4)) * q3;
          y[y0 + 96] = fr(d * dv.getInt8(sc + is + 6)) * q4;
        }
      }
    }
  }
  return y;
}
