// Test-only reference for ggml's Q4_K / Q6_K quantisers, written from ggml-quants.c
// (quantize_row_q4_K_ref, quantize_row_q6_K_ref, make_qkx2_quants, make_qx_quants,
// nearest_int, get_scale_min_k4) in the shape of the C code: block structs filled field by
// field, then serialised as the C structs lie in memory. It is deliberately literal and slow
// (every float32 op spelled out through the `f` helpers, nearest_int through the float's bit
// pattern) so that src/quant/kquants.ts, written for reading, can be checked against it.
import { fp16ToFp32, fp32ToFp16 } from "../../src/quant/fp16";
import { gaussian, mulberry32 } from "../../src/model/rng";

// Math's functions are read once: under jest's vm context every global lookup is slow.
const { fround, abs: fabsf, sqrt } = Math;

/** float32 arithmetic, one rounding per C operator. */
const f = {
  r: (a: number) => fround(a),
  add: (a: number, b: number) => fround(a + b),
  sub: (a: number, b: number) => fround(a - b),
  mul: (a: number, b: number) => fround(a * b),
  div: (a: number, b: number) => fround(a / b),
};

const bitsView = new DataView(new ArrayBuffer(4));
/** nearest_int(fval): float add of 12582912.f, then the low 23 bits of the sum's bit pattern. */
export function nearestIntRef(fval: number): number {
  bitsView.setFloat32(0, f.add(fval, 12582912), true);
  const i = bitsView.getInt32(0, true);
  return (i & 0x007fffff) - 0x00400000;
}

const MAX = Math.max;
const MIN = Math.min;
const GROUP_MAX_EPS = f.r(1e-15);
const QK_K = 256;

// ---- make_qkx2_quants(n, nmax, x, weights, L, &the_min, Laux, rmin, rdelta, nstep, use_mad=false)
function makeQkx2Quants(
  n: number,
  nmax: number,
  x: number[],
  weights: number[],
  L: number[],
  Laux: number[],
  rmin: number,
  rdelta: number,
  nstep: number,
): { scale: number; theMin: number } {
  let min = x[0];
  let max = x[0];
  let sum_w = weights[0];
  let sum_x = f.mul(sum_w, x[0]);
  for (let i = 1; i < n; ++i) {
    if (x[i] < min) min = x[i];
    if (x[i] > max) max = x[i];
    const w = weights[i];
    sum_w = f.add(sum_w, w);
    sum_x = f.add(sum_x, f.mul(w, x[i]));
  }
  if (min > 0) min = 0;
  if (max === min) {
    for (let i = 0; i < n; ++i) L[i] = 0;
    return { scale: 0, theMin: -min };
  }
  let iscale = f.div(nmax, f.sub(max, min));
  let scale = f.div(1, iscale);
  let best_error = 0;
  for (let i = 0; i < n; ++i) {
    const l = nearestIntRef(f.mul(iscale, f.sub(x[i], min)));
    L[i] = MAX(0, MIN(nmax, l));
    let diff = f.sub(f.add(f.mul(scale, L[i]), min), x[i]);
    diff = f.mul(diff, diff);
    best_error = f.add(best_error, f.mul(weights[i], diff));
  }
  for (let is = 0; is <= nstep; ++is) {
    iscale = f.div(f.add(f.add(rmin, f.mul(rdelta, is)), nmax), f.sub(max, min));
    let sum_l = 0;
    let sum_l2 = 0;
    let sum_xl = 0;
    for (let i = 0; i < n; ++i) {
      let l = nearestIntRef(f.mul(iscale, f.sub(x[i], min)));
      l = MAX(0, MIN(nmax, l));
      Laux[i] = l;
      const w = weights[i];
      sum_l = f.add(sum_l, f.mul(w, l));
      sum_l2 = f.add(sum_l2, f.mul(f.mul(w, l), l));
      sum_xl = f.add(sum_xl, f.mul(f.mul(w, l), x[i]));
    }
    const D = f.sub(f.mul(sum_w, sum_l2), f.mul(sum_l, sum_l));
    if (D > 0) {
      let this_scale = f.div(f.sub(f.mul(sum_w, sum_xl), f.mul(sum_x, sum_l)), D);
      let this_min = f.div(f.sub(f.mul(sum_l2, sum_x), f.mul(sum_l, sum_xl)), D);
      if (this_min > 0) {
        this_min = 0;
        this_scale = f.div(sum_xl, sum_l2);
      }
      let cur_error = 0;
      for (let i = 0; i < n; ++i) {
        let diff = f.sub(f.add(f.mul(this_scale, Laux[i]), this_min), x[i]);
        diff = f.mul(diff, diff);
        cur_error = f.add(cur_error, f.mul(weights[i], diff));
      }
      if (cur_error < best_error) {
        for (let i = 0; i < n; ++i) L[i] = Laux[i];
        best_error = cur_error;
        scale = this_scale;
        min = this_min;
      }
    }
  }
  return { scale, theMin: -min };
}

// ---- make_qx_quants(n, nmax, x, L, rmse_type=1, qw=NULL): L holds int8 codes + nmax
function makeQxQuants(n: number, nmax: number, x: number[], L: number[]): number {
  let max = 0;
  let amax = 0;
  for (let i = 0; i < n; ++i) {
    const ax = fabsf(x[i]);
    if (ax > amax) {
      amax = ax;
      max = x[i];
    }
  }
  if (amax < GROUP_MAX_EPS) {
    for (let i = 0; i < n; ++i) L[i] = 0;
    return 0;
  }
  let iscale = f.div(-nmax, max);
  let sumlx = 0;
  let suml2 = 0;
  for (let i = 0; i < n; ++i) {
    let l = nearestIntRef(f.mul(iscale, x[i]));
    l = MAX(-nmax, MIN(nmax - 1, l));
    L[i] = l + nmax;
    const w = f.mul(x[i], x[i]);
    sumlx = f.add(sumlx, f.mul(f.mul(w, x[i]), l));
    suml2 = f.add(suml2, f.mul(f.mul(w, l), l));
  }
  let scale = suml2 ? f.div(sumlx, suml2) : 0;
  let best = f.mul(scale, sumlx);
  for (let is = -9; is <= 9; ++is) {
    if (is === 0) continue;
    iscale = f.div(-f.add(nmax, f.mul(f.r(0.1), is)), max);
    sumlx = 0;
    suml2 = 0;
    for (let i = 0; i < n; ++i) {
      let l = nearestIntRef(f.mul(iscale, x[i]));
      l = MAX(-nmax, MIN(nmax - 1, l));
      const w = f.mul(x[i], x[i]);
      sumlx = f.add(sumlx, f.mul(f.mul(w, x[i]), l));
      suml2 = f.add(suml2, f.mul(f.mul(w, l), l));
    }
    if (suml2 > 0 && f.mul(sumlx, sumlx) > f.mul(best, suml2)) {
      for (let i = 0; i < n; ++i) {
        const l = nearestIntRef(f.mul(iscale, x[i]));
        L[i] = nmax + MAX(-nmax, MIN(nmax - 1, l));
      }
      scale = f.div(sumlx, suml2);
      best = f.mul(scale, sumlx);
    }
  }
  return scale;
}

function getScaleMinK4(j: number, q: number[]): { d: number; m: number } {
  if (j < 4) return { d: q[j] & 63, m: q[j + 4] & 63 };
  return { d: (q[j + 4] & 0xf) | ((q[j - 4] >> 6) << 4), m: (q[j + 4] >> 4) | ((q[j] >> 6) << 4) };
}

const u8 = (v: number) => v & 0xff; // C's conversion of an int to uint8_t
const i8 = (v: number) => ((v & 0xff) << 24) >> 24; // ... and to int8_t

interface BlockQ4K {
  d: number; // fp16 bits
  dmin: number;
  scales: number[]; // 12
  qs: number[]; // 128
}

export function quantizeRowQ4KRef(xs: Float32Array): Uint8Array {
  const nb = xs.length / QK_K;
  const out = new Uint8Array(nb * 144);
  for (let i = 0; i < nb; i++) {
    const x = Array.from(xs.subarray(i * QK_K, (i + 1) * QK_K));
    const y: BlockQ4K = { d: 0, dmin: 0, scales: new Array(12).fill(0), qs: new Array(128).fill(0) };
    const L = new Array(QK_K).fill(0);
    const mins: number[] = [];
    const scales: number[] = [];
    let max_scale = 0;
    let max_min = 0;
    for (let j = 0; j < QK_K / 32; ++j) {
      const xj = x.slice(32 * j, 32 * j + 32);
      let sum_x2 = 0;
      for (let l = 0; l < 32; ++l) sum_x2 = f.add(sum_x2, f.mul(xj[l], xj[l]));
      const av_x = f.r(sqrt(f.div(sum_x2, 32)));
      const weights = xj.map((v) => f.add(av_x, fabsf(v)));
      const Lj = new Array(32).fill(0);
      const r = makeQkx2Quants(32, 15, xj, weights, Lj, new Array(32).fill(0), -1, f.r(0.1), 20);
      for (let l = 0; l < 32; ++l) L[32 * j + l] = Lj[l];
      scales[j] = r.scale;
      mins[j] = r.theMin;
      if (scales[j] > max_scale) max_scale = scales[j];
      if (mins[j] > max_min) max_min = mins[j];
    }
    const inv_scale = max_scale > 0 ? f.div(63, max_scale) : 0;
    const inv_min = max_min > 0 ? f.div(63, max_min) : 0;
    for (let j = 0; j < QK_K / 32; ++j) {
      let ls = u8(nearestIntRef(f.mul(inv_scale, scales[j])));
      let lm = u8(nearestIntRef(f.mul(inv_min, mins[j])));
      ls = MIN(63, ls);
      lm = MIN(63, lm);
      if (j < 4) {
        y.scales[j] = ls;
        y.scales[j + 4] = lm;
      } else {
        y.scales[j + 4] = (ls & 0xf) | ((lm & 0xf) << 4);
        y.scales[j - 4] |= (ls >> 4) << 6;
        y.scales[j - 0] |= (lm >> 4) << 6;
      }
    }
    y.d = fp32ToFp16(f.div(max_scale, 63));
    y.dmin = fp32ToFp16(f.div(max_min, 63));
    for (let j = 0; j < QK_K / 32; ++j) {
      const { d: sc, m } = getScaleMinK4(j, y.scales);
      const d = f.mul(fp16ToFp32(y.d), sc);
      if (!d) continue;
      const dm = f.mul(fp16ToFp32(y.dmin), m);
      for (let ii = 0; ii < 32; ++ii) {
        let l = nearestIntRef(f.div(f.add(x[32 * j + ii], dm), d));
        l = MAX(0, MIN(15, l));
        L[32 * j + ii] = l;
      }
    }
    let q = 0;
    for (let j = 0; j < QK_K; j += 64) {
      for (let l = 0; l < 32; ++l) y.qs[q + l] = L[j + l] | (L[j + l + 32] << 4);
      q += 32;
    }
    // struct block_q4_K { ggml_half d; ggml_half dmin; uint8_t scales[12]; uint8_t qs[128]; }
    const dv = new DataView(out.buffer, i * 144, 144);
    dv.setUint16(0, y.d, true);
    dv.setUint16(2, y.dmin, true);
    y.scales.forEach((v, k) => dv.setUint8(4 + k, v));
    y.qs.forEach((v, k) => dv.setUint8(16 + k, v));
  }
  return out;
}

interface BlockQ6K {
  ql: number[]; // 128
  qh: number[]; // 64
  scales: number[]; // 16 (int8)
  d: number; // fp16 bits
}

export function quantizeRowQ6KRef(xs: Float32Array): Uint8Array {
  const nb = xs.length / QK_K;
  const out = new Uint8Array(nb * 210);
  for (let i = 0; i < nb; i++) {
    const x = Array.from(xs.subarray(i * QK_K, (i + 1) * QK_K));
    const y: BlockQ6K = { ql: new Array(128).fill(0), qh: new Array(64).fill(0), scales: new Array(16).fill(0), d: 0 };
    const L = new Array(QK_K).fill(0);
    const scales: number[] = [];
    let max_scale = 0;
    let max_abs_scale = 0;
    for (let ib = 0; ib < QK_K / 16; ++ib) {
      const Lb = new Array(16).fill(0);
      const scale = makeQxQuants(16, 32, x.slice(16 * ib, 16 * ib + 16), Lb);
      for (let l = 0; l < 16; ++l) L[16 * ib + l] = Lb[l];
      scales[ib] = scale;
      const abs_scale = fabsf(scale);
      if (abs_scale > max_abs_scale) {
        max_abs_scale = abs_scale;
        max_scale = scale;
      }
    }
    if (!(max_abs_scale < GROUP_MAX_EPS)) {
      const iscale = f.div(-128, max_scale);
      y.d = fp32ToFp16(f.div(1, iscale));
      for (let ib = 0; ib < QK_K / 16; ++ib) y.scales[ib] = i8(MIN(127, nearestIntRef(f.mul(iscale, scales[ib]))));
      for (let j = 0; j < QK_K / 16; ++j) {
        const d = f.mul(fp16ToFp32(y.d), y.scales[j]);
        if (!d) continue;
        for (let ii = 0; ii < 16; ++ii) {
          let l = nearestIntRef(f.div(x[16 * j + ii], d));
          l = MAX(-32, MIN(31, l));
          L[16 * j + ii] = l + 32;
        }
      }
      let ql = 0;
      let qh = 0;
      for (let j = 0; j < QK_K; j += 128) {
        for (let l = 0; l < 32; ++l) {
          const q1 = L[j + l + 0] & 0xf;
          const q2 = L[j + l + 32] & 0xf;
          const q3 = L[j + l + 64] & 0xf;
          const q4 = L[j + l + 96] & 0xf;
          y.ql[ql + l + 0] = q1 | (q3 << 4);
          y.ql[ql + l + 32] = q2 | (q4 << 4);
          y.qh[qh + l] =
            (L[j + l] >> 4) | ((L[j + l + 32] >> 4) << 2) | ((L[j + l + 64] >> 4) << 4) | ((L[j + l + 96] >> 4) << 6);
        }
        ql += 64;
        qh += 32;
      }
    }
    // struct block_q6_K { uint8_t ql[128]; uint8_t qh[64]; int8_t scales[16]; ggml_half d; }
    const dv = new DataView(out.buffer, i * 210, 210);
    y.ql.forEach((v, k) => dv.setUint8(k, v));
    y.qh.forEach((v, k) => dv.setUint8(128 + k, v));
    y.scales.forEach((v, k) => dv.setInt8(192 + k, v));
    dv.setUint16(208, y.d, true);
  }
  return out;
}

/** dequantize_row_q4_K / dequantize_row_q6_K, in the C's order of operations. */
export function dequantizeRowRef(type: "q4_k" | "q6_k", bytes: Uint8Array, k: number): Float32Array {
  const y = new Float32Array(k);
  let p = 0;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < k / QK_K; i++) {
    if (type === "q4_k") {
      const b = i * 144;
      const d = fp16ToFp32(dv.getUint16(b, true));
      const min = fp16ToFp32(dv.getUint16(b + 2, true));
      const scales = Array.from(bytes.subarray(b + 4, b + 16));
      let q = b + 16;
      let is = 0;
      for (let j = 0; j < QK_K; j += 64) {
        let sm = getScaleMinK4(is + 0, scales);
        const d1 = f.mul(d, sm.d);
        const m1 = f.mul(min, sm.m);
        sm = getScaleMinK4(is + 1, scales);
        const d2 = f.mul(d, sm.d);
        const m2 = f.mul(min, sm.m);
        for (let l = 0; l < 32; ++l) y[p++] = f.sub(f.mul(d1, bytes[q + l] & 0xf), m1);
        for (let l = 0; l < 32; ++l) y[p++] = f.sub(f.mul(d2, bytes[q + l] >> 4), m2);
        q += 32;
        is += 2;
      }
    } else {
      const b = i * 210;
      const d = fp16ToFp32(dv.getUint16(b + 208, true));
      let ql = b;
      let qh = b + 128;
      let sc = b + 192;
      for (let n = 0; n < QK_K; n += 128) {
        for (let l = 0; l < 32; ++l) {
          const is = (l / 16) | 0;
          const q1 = i8((bytes[ql + l + 0] & 0xf) | (((bytes[qh + l] >> 0) & 3) << 4)) - 32;
          const q2 = i8((bytes[ql + l + 32] & 0xf) | (((bytes[qh + l] >> 2) & 3) << 4)) - 32;
          const q3 = i8((bytes[ql + l + 0] >> 4) | (((bytes[qh + l] >> 4) & 3) << 4)) - 32;
          const q4 = i8((bytes[ql + l + 32] >> 4) | (((bytes[qh + l] >> 6) & 3) << 4)) - 32;
          y[p + l + 0] = f.mul(f.mul(d, dv.getInt8(sc + is + 0)), q1);
          y[p + l + 32] = f.mul(f.mul(d, dv.getInt8(sc + is + 2)), q2);
          y[p + l + 64] = f.mul(f.mul(d, dv.getInt8(sc + is + 4)), q3);
          y[p + l + 96] = f.mul(f.mul(d, dv.getInt8(sc + is + 6)), q4);
        }
        p += 128;
        ql += 64;
        qh += 32;
        sc += 8;
      }
    }
  }
  return y;
}

/**
 * Test rows for the k-quant checks: `blocks` super-blocks of 256, each drawn from one of the
 * cases below by index, so every case appears many times. Covers gaussian weights over ten
 * orders of magnitude, heavy tails, single outliers, one-signed blocks, constant and zero
 * blocks, zero sub-blocks beside live ones (ggml's "zero scale keeps the search codes" path),
 * sub-blocks of very different scale, values on grid halfway points, and subnormal-small values.
 */
export function kquantTestRows(blocks: number, seed = 17): Float32Array {
  const r = mulberry32(seed);
  const g = gaussian(mulberry32(seed + 1));
  const x = new Float32Array(blocks * QK_K);
  const scales = [1, 0.02, 3.7, 1e-3, 250, 1e-6];
  for (let b = 0; b < blocks; b++) {
    const s = scales[b % scales.length];
    const o = b * QK_K;
    const kind = b % 13;
    for (let i = 0; i < QK_K; i++) {
      let v = g() * s;
      if (kind === 1) v = Math.tan((r() - 0.5) * 3.1) * s; // heavy tails
      if (kind === 2 && i === (b * 37) % QK_K) v = 100 * s * (b % 2 ? 1 : -1); // one outlier
      if (kind === 3) v = -fabsf(v); // negative only
      if (kind === 4) v = fabsf(v) + s; // positive only, away from zero
      if (kind === 5) v = b % 2 ? 0.3 : -0.3; // constant
      if (kind === 6) v = 0; // all zero
      if (kind === 7 && (i >> 5) % 3 === 1) v = 0; // some zero sub-blocks among live ones
      if (kind === 8 && (i >> 4) % 2 === 0) v *= 1e-5; // sub-blocks of very different scale
      if (kind === 9) v = Math.round(v * 16) / 16 + 1 / 32; // on halfway points of binary grids
      if (kind === 10) v = g() * 1e-38; // subnormal-small
      if (kind === 11 && i % 16 === 0) v = -8 * s; // a repeated negative extreme
      x[o + i] = v;
    }
  }
  return x;
}
