// Q4_K / Q6_K: bit-exact against a literal reference transliterated from ggml-quants.c
// (tests/helpers/ggml-kquants-ref.ts), hand-worked layouts, and error bounds.
import { GGML_TYPES, dequantizeRow, quantizeRow } from "./ggml";
import { fp32ToFp16 } from "./fp16";
import { QK_K, dequantizeRowK, quantizeRowK } from "./kquants";
import {
  dequantizeRowRef,
  kquantTestRows,
  nearestIntRef,
  quantizeRowQ4KRef,
  quantizeRowQ6KRef,
} from "../../tests/helpers/ggml-kquants-ref";

const BLOCKS = 650; // 50 of each of the 13 row kinds

/** Index of the first differing byte / value, or -1. */
function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

describe("k-quants vs the ggml reference transliteration", () => {
  const x = kquantTestRows(BLOCKS);
  for (const [type, ref] of [
    ["q4_k", quantizeRowQ4KRef],
    ["q6_k", quantizeRowQ6KRef],
  ] as const) {
    test(`${type}: same bytes on ${BLOCKS} super-blocks (zeros, constants, outliers, one-signed, mixed scales)`, () => {
      const ours = quantizeRowK(type, x);
      const theirs = ref(x);
      expect(ours.length).toBe(BLOCKS * GGML_TYPES[type].typeSize);
      const at = firstDiff(ours, theirs);
      expect({ type, firstDifferentByte: at, block: at < 0 ? -1 : Math.floor(at / GGML_TYPES[type].typeSize) }).toEqual(
        { type, firstDifferentByte: -1, block: -1 },
      );
    });
    test(`${type}: same dequantised values as the reference`, () => {
      const q = ref(x);
      expect(firstDiff(dequantizeRowK(type, q, x.length), dequantizeRowRef(type, q, x.length))).toBe(-1);
    });
  }

  test("nearest_int rounds half to even within its range and wraps as ggml's outside it", () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 3.49, -7.51].map(nearestIntRef)).toEqual([0, 2, 2, 0, -2, 3, -8]);
    // 2^23 + 3: out of range. 12582912 + 8388611 = 20971523 lies in [2^24, 2^25), where floats
    // step by 2: it rounds (tie, to even) to 20971524, whose mantissa field is (20971524 - 2^24)/2
    // = 2097154; minus 2^22 gives -2097150, not 8388611.
    expect(nearestIntRef(8388611)).toBe(2097154 - 4194304);
    const ours = quantizeRowK(
      "q6_k",
      Float32Array.from({ length: QK_K }, (_, i) => (i === 0 ? 3e9 : 1e-30 * i)),
    );
    expect(
      firstDiff(ours, quantizeRowQ6KRef(Float32Array.from({ length: QK_K }, (_, i) => (i === 0 ? 3e9 : 1e-30 * i)))),
    ).toBe(-1);
  });
});

describe("k-quant layouts, hand-worked", () => {
  test("Q4_K: 6-bit scales/mins packing (sub-blocks 4..7 split over three bytes) and nibble order", () => {
    const b = new Uint8Array(144);
    const dv = new DataView(b.buffer);
    dv.setUint16(0, fp32ToFp16(0.5), true); // d
    dv.setUint16(2, fp32ToFp16(0.25), true); // dmin
    // sub-block 1: sc 3, m 2 (bytes 1 and 5); sub-block 5: sc 33 = 0b100001, m 50 = 0b110010:
    // byte 9 = (33 & 15) | (50 & 15) << 4 = 0x21, byte 1 gets (33 >> 4) << 6, byte 5 gets (50 >> 4) << 6.
    b[4 + 1] = 3 | (2 << 6);
    b[4 + 5] = 2 | (3 << 6);
    b[4 + 9] = 0x21;
    // weight 32 (sub-block 1) is the high nibble of qs[0]; weight 160 + 32 = 192 (sub-block 6? no:
    // 5 * 32 = 160 is sub-block 5's first weight, the low nibble of qs[64 + 32]... 160 = 128 + 32
    // -> the third 64-group, high nibble of qs[64]).
    b[16 + 0] = 7 << 4; // weight 32: code 7
    b[16 + 64] = 9 << 4; // weight 160: code 9
    const y = dequantizeRow("q4_k", b, QK_K);
    expect(y[32]).toBe(0.5 * 3 * 7 - 0.25 * 2); // sc 3 (the top bits in byte 1 belong to sub-block 5)
    expect(y[33]).toBe(-0.25 * 2);
    expect(y[160]).toBe(0.5 * 33 * 9 - 0.25 * 50);
    expect(y[0]).toBe(0); // sub-block 0: sc 0, m 0
  });

  test("Q6_K: ql/qh/scales/d layout and the -32 offset", () => {
    const b = new Uint8Array(210);
    const dv = new DataView(b.buffer);
    dv.setUint16(208, fp32ToFp16(0.125), true);
    dv.setInt8(192 + 0, 2); // sub-block 0: weights 0..15
    dv.setInt8(192 + 6, -3); // sub-block 6: weights 96..111
    // weight 1 code 45 = 0b101101: low nibble 13 in ql[1] low, top bits 2 in qh[1] bits 0-1
    b[1] = 13;
    b[128 + 1] = 2;
    // weight 97 (= 1 + 96) code 5: low nibble in ql[1 + 32] high, top bits 0 in qh[1] bits 6-7
    b[33] = 5 << 4;
    const y = dequantizeRow("q6_k", b, QK_K);
    expect(y[1]).toBe(0.125 * 2 * (45 - 32));
    expect(y[97]).toBe(0.125 * -3 * (5 - 32));
    expect(y[0]).toBe(0.125 * 2 * -32); // all-zero bits are code 0 = -32
  });

  test("an all-zero super-block is all zero bytes and decodes to zeros; lengths are checked", () => {
    for (const t of ["q4_k", "q6_k"] as const) {
      const q = quantizeRow(t, new Float32Array(512));
      expect(q.every((v) => v === 0)).toBe(true);
      expect(Array.from(dequantizeRow(t, q, 512)).every((v) => v === 0)).toBe(true);
      expect(() => quantizeRow(t, new Float32Array(128))).toThrow(/multiple of 256/);
      expect(() => dequantizeRow(t, new Uint8Array(10), 256)).toThrow(/need \d+ bytes/);
    }
  });

  test("error on gaussian rows: Q6_K < Q4_K, each near its step size", () => {
    const x = kquantTestRows(13 * 4).subarray(0, QK_K); // block 0: gaussian, scale 1
    const rms = (t: "q4_k" | "q6_k") => {
      const y = dequantizeRow(t, quantizeRow(t, x), x.length);
      return Math.sqrt(y.reduce((a, v, i) => a + (v - x[i]) ** 2, 0) / x.length);
    };
    // N(0,1) sub-blocks of 32 span about 4.5 sigma: a 15-step grid leaves rms ~ 0.3/sqrt(12) ~ 0.09;
    // Q6_K's 16-weight sub-blocks on 64 levels, ~0.02.
    expect(rms("q4_k")).toBeLessThan(0.1);
    expect(rms("q6_k")).toBeLessThan(0.025);
    expect(rms("q6_k")).toBeLessThan(rms("q4_k") / 3);
  });
});
