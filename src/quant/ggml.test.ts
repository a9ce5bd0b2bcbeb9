// Blocks worked by hand from ggml's quantize_row_*_ref formulas (ggml-quants.c).
import { GGML_TYPES, dequantizeRow, quantizeRow } from "./ggml";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("GGML block formats, hand-worked", () => {
  test("Q8_0: d = amax/127, q = roundf(x/d), half away from zero", () => {
    // amax = 7.9375 = 127/16, so d = 1/16 exactly and q = roundf(16 x).
    const x = new Float32Array(32);
    x.set([7.9375, -7.9375, 0.03125, -0.03125, -0.15625, 0.15625, 1, -1, 0.1]);
    x[31] = -3.2;
    // 16*0.03125 = 0.5 -> 1 and -0.5 -> -1 (roundf, not Math.round's -0); -2.5 -> -3;
    // 16*0.1 = 1.6 -> 2; 16*-3.2 = -51.2 -> -51.
    const q = [127, -127, 1, -1, -3, 3, 16, -16, 2, ...new Array(22).fill(0), -51];
    const want = new Uint8Array(34);
    want[0] = 0x00; // d = 1/16 = fp16 0x2c00, little-endian
    want[1] = 0x2c;
    q.forEach((v, j) => (want[2 + j] = v & 0xff));
    const got = quantizeRow("q8_0", x);
    expect(hex(got)).toBe(hex(want));
    expect(Array.from(dequantizeRow("q8_0", got, 32))).toEqual(q.map((v) => v / 16));
  });

  test("Q4_0: d = max/-8 from the signed absmax, q = min(15, trunc(x/d + 8.5)), nibbles j | j+16", () => {
    // x_j = (j - 16)/4: the signed absmax is -4 (j = 0), d = 0.5, q_j = trunc(j/2 + 0.5).
    const x = Float32Array.from({ length: 32 }, (_, j) => (j - 16) / 4);
    const q = Array.from({ length: 32 }, (_, j) => Math.min(15, Math.floor((j + 1) / 2)));
    expect(q.slice(0, 4)).toEqual([0, 1, 1, 2]); // j = 1: 0.5 + 0.5 = 1.0 -> 1
    expect(q[31]).toBe(15); // 16 clamped: only -8..7 fit, the extreme is on the negative side
    const want = "0038" + "80 91 91 a2 a2 b3 b3 c4 c4 d5 d5 e6 e6 f7 f7 f8".replace(/ /g, "");
    const got = quantizeRow("q4_0", x);
    expect(hex(got)).toBe(want);
    expect(GGML_TYPES.q4_0.typeSize).toBe(got.length);
    expect(Array.from(dequantizeRow("q4_0", got, 32))).toEqual(q.map((v) => (v - 8) * 0.5));
  });

  test("Q4_1: d = (max-min)/15, m = min, q = min(15, trunc((x-min)/d + 0.5))", () => {
    // min = -1, max = 2.75, d = 0.25. x_j = -1 + j/4 (q = j) for j < 16; x_16 = 2.75 (q 15);
    // x_{16+k} = -1 + (15-k)/4 + 1/8 lies halfway and rounds up: q = 16 - k.
    const x = new Float32Array(32);
    for (let j = 0; j < 16; j++) x[j] = -1 + j / 4;
    x[16] = 2.75;
    for (let k = 1; k < 16; k++) x[16 + k] = -1 + (15 - k) / 4 + 0.125;
    const want = "0034" + "00bc" + "f0 f1 e2 d3 c4 b5 a6 97 88 79 6a 5b 4c 3d 2e 1f".replace(/ /g, "");
    const got = quantizeRow("q4_1", x);
    expect(hex(got)).toBe(want);
    const back = dequantizeRow("q4_1", got, 32);
    expect(back[0]).toBe(-1);
    expect(back[17]).toBe(2.75); // 15*0.25 - 1: the tie went up by 1/8
  });

  test("Q5_0: d = max/-16, 5-bit codes, fifth bits in the u32 qh", () => {
    // x_j = (j - 16)/2: absmax -8 at j = 0, d = 0.5, q_j = j (j + 0.5 truncated); x_31 = 7.9 gives 32.3 -> clamp 31.
    const x = Float32Array.from({ length: 32 }, (_, j) => (j - 16) / 2);
    x[31] = 7.9;
    // qh: codes 16..31 have bit 4 set -> bits 16..31 -> 0xffff0000 little-endian.
    const qs = Array.from({ length: 16 }, (_, j) => ((j | (j << 4)) & 0xff).toString(16).padStart(2, "0")).join("");
    const got = quantizeRow("q5_0", x);
    expect(hex(got)).toBe("0038" + "0000ffff" + qs);
    const back = dequantizeRow("q5_0", got, 32);
    expect(back[0]).toBe(-8);
    expect(back[31]).toBe(7.5);
  });

  test("Q5_1: d = (max-min)/31, m = min, q = trunc((x-min)/d + 0.5)", () => {
    // x_j = 0.5 + j/8: min 0.5, max 4.375, d = 1/8, q_j = j; except x_5 = 0.5 + 5.5/8, a tie -> 6.
    const x = Float32Array.from({ length: 32 }, (_, j) => 0.5 + j / 8);
    x[5] = 0.5 + 5.5 / 8;
    const codes = Array.from({ length: 32 }, (_, j) => j);
    codes[5] = 6;
    const qs = Array.from({ length: 16 }, (_, j) =>
      ((codes[j] & 15) | ((codes[j + 16] & 15) << 4)).toString(16).padStart(2, "0"),
    ).join("");
    expect(qs.slice(10, 12)).toBe("56");
    const got = quantizeRow("q5_1", x);
    expect(hex(got)).toBe("0030" + "0038" + "0000ffff" + qs);
    expect(dequantizeRow("q5_1", got, 32)[5]).toBe(0.5 + 6 / 8);
  });

  test("an all-zero block has d = 0 and decodes to zeros", () => {
    const z = new Float32Array(64);
    for (const t of ["q8_0", "q4_0", "q4_1", "q5_0", "q5_1"] as const) {
      const b = quantizeRow(t, z);
      expect(b.length).toBe(2 * GGML_TYPES[t].typeSize);
      expect(Array.from(dequantizeRow(t, b, 64)).every((v) => v === 0)).toBe(true);
    }
  });

  test("error bound on random rows: |x - x'| <= d/2, or d where the _0 grid clamps (+ fp16 scale rounding)", () => {
    let s = 12345;
    const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const x = Float32Array.from({ length: 32 * 8 }, rnd);
    const worst: Record<string, number> = {};
    for (const [t, steps] of [
      ["q8_0", 127],
      ["q5_0", 16],
      ["q4_0", 8],
      ["q5_1", 31],
      ["q4_1", 15],
    ] as const) {
      const y = dequantizeRow(t, quantizeRow(t, x), x.length);
      let e = 0;
      for (let i = 0; i < x.length; i++) e = Math.max(e, Math.abs(x[i] - y[i]));
      worst[t] = e;
      // |x| <= 1: the min-max span is <= 2, absmax <= 1. q4_0/q5_0 put the signed extreme on
      // code 0, so the opposite end can clamp one step short: an error of up to d there.
      const bound = t.endsWith("_1") ? (2 / steps) * 0.5 : t === "q8_0" ? 0.5 / steps : 1 / steps;
      expect(e).toBeLessThan(bound * 1.01 + 1e-3);
    }
    expect(worst.q8_0).toBeLessThan(worst.q5_0);
    expect(worst.q5_0).toBeLessThan(worst.q4_0);
  });

  test("bad lengths are refused with the expected size", () => {
    expect(() => quantizeRow("q4_0", new Float32Array(33))).toThrow(/multiple of 32/);
    expect(() => dequantizeRow("q8_0", new Uint8Array(10), 32)).toThrow(/need 34 bytes/);
  });
});
