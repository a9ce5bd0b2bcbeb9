import { matrix } from "./matrix";
import { minMaxGrid, quantizeRTN, quantizeValue, roundHalfEven } from "./rtn";

describe("round to nearest", () => {
  test("half to even, as torch.round", () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, -2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, -2, 2, -3]);
  });

  test("min-max grid (GPTQ's Quantizer) worked by hand", () => {
    // 2 bits on [-1, 0, 0.5, 2]: scale = (2 - -1)/3 = 1, zero = round(1/1) = 1;
    // codes round(w) + 1 = [0, 1, 1 (0.5 -> 0 to even), 3].
    const g = minMaxGrid([-1, 0, 0.5, 2], 2);
    expect(g).toEqual({ scale: 1, zero: 1, qmin: 0, qmax: 3 });
    expect([-1, 0, 0.5, 2, 7].map((w) => quantizeValue(w, g))).toEqual([-1, 0, 0, 2, 2]);
    // The range always includes 0: all-positive values still get zero point 0.
    expect(minMaxGrid([1, 4], 2)).toEqual({ scale: 4 / 3, zero: 0, qmin: 0, qmax: 3 });
  });

  test("absmax int8 per tensor worked by hand", () => {
    // absmax 127/128 -> scale 1/128; 1.5/128 -> 2 (to even), 2.5/128 -> 2, -3.5/128 -> -4.
    const W = matrix(1, 4, Float32Array.from([127 / 128, 1.5 / 128, 2.5 / 128, -3.5 / 128]));
    const r = quantizeRTN(W, { bits: 8, scheme: "absmax", granularity: "tensor" });
    expect(Array.from(r.codes)).toEqual([127, 2, 2, -4]);
    expect(Array.from(r.weights.data)).toEqual([127, 2, 2, -4].map((q) => q / 128));
    expect(r.bytes).toBe(4 + 2); // four int8 codes and one fp16 scale
  });

  test("finer granularity never hurts: tensor >= channel >= group error", () => {
    const W = matrix(
      4,
      64,
      Float32Array.from({ length: 256 }, (_, i) => Math.sin(i * 1.7) * (1 + (i % 64) / 8) * (1 + Math.floor(i / 64))),
    );
    const err = (g: "tensor" | "channel" | "group") => {
      const r = quantizeRTN(W, { bits: 4, granularity: g, groupSize: 16 });
      return r.weights.data.reduce((s, v, i) => s + (v - W.data[i]) ** 2, 0);
    };
    expect(err("tensor")).toBeGreaterThan(err("channel"));
    expect(err("channel")).toBeGreaterThan(err("group"));
    expect(quantizeRTN(W, { bits: 4, granularity: "group", groupSize: 16 }).grids.length).toBe(16);
  });

  test("bad options are refused", () => {
    expect(() => quantizeRTN(matrix(1, 2), { bits: 1 })).toThrow(/bits must be/);
    expect(() => quantizeRTN(matrix(1, 2), { bits: 4, granularity: "group", groupSize: 0 })).toThrow(/groupSize/);
  });
});
