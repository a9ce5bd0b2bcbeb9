import { fp16ToFp32, fp32ToFp16, roundToFp16 } from "./fp16";

describe("fp16", () => {
  test("known values (IEEE 754 binary16)", () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.5, 0x3800],
      [0.0625, 0x2c00],
      [65504, 0x7bff], // largest finite half
      [2 ** -14, 0x0400], // smallest normal
      [2 ** -24, 0x0001], // smallest subnormal
      [0.1, 0x2e66], // 0.0999755859375
      [1 / 3, 0x3555],
      [Infinity, 0x7c00],
      [-Infinity, 0xfc00],
      [1e6, 0x7c00], // overflow
    ];
    for (const [x, h] of cases) expect([x, fp32ToFp16(x)]).toEqual([x, h]);
    expect(fp32ToFp16(NaN)).toBe(0x7e00); // ggml's quiet NaN
  });

  test("ties round to even", () => {
    expect(fp32ToFp16(1 + 2 ** -11)).toBe(0x3c00); // halfway 1 and 1+2^-10: to even 1
    expect(fp32ToFp16(1 + 3 * 2 ** -11)).toBe(0x3c02); // halfway 0x3c01 and 0x3c02: to even
    expect(fp32ToFp16(2 ** -25)).toBe(0x0000); // halfway 0 and the smallest subnormal
    expect(fp32ToFp16(3 * 2 ** -25)).toBe(0x0002); // halfway 1 and 2 subnormal units
    expect(fp32ToFp16(1.5 * 2 ** -25)).toBe(0x0001); // above halfway
    expect(fp32ToFp16(65520)).toBe(0x7c00); // halfway 65504 and 65536: to even = infinity
    expect(fp32ToFp16(65519.99)).toBe(0x7bff);
    expect(fp32ToFp16(0x3ff * 2 ** -24 + 2 ** -25)).toBe(0x0400); // subnormal carry to the smallest normal
  });

  test("every half survives a round trip and midpoints go to the even neighbour", () => {
    for (let h = 0; h < 0x7c00; h++) {
      for (const s of [0, 0x8000]) {
        const x = fp16ToFp32(h | s);
        expect(fp32ToFp16(x)).toBe(h | s);
      }
      if (h + 1 < 0x7c00) {
        const mid = (fp16ToFp32(h) + fp16ToFp32(h + 1)) / 2; // exact in float32
        const want = h % 2 === 0 ? h : h + 1;
        if (fp32ToFp16(mid) !== want)
          throw new Error(`midpoint above 0x${h.toString(16)} -> 0x${fp32ToFp16(mid).toString(16)}`);
      }
    }
    expect(roundToFp16(0.1)).toBe(0.0999755859375);
  });
});
