import { gemvBlocks, gemvF32, toBlockMatrix } from "./dot";
import { dequantizeRow, quantizeRow } from "./ggml";
import { randomMatrix } from "./random-matrices";

describe("block dot products", () => {
  const rows = 8,
    cols = 96;
  const W = randomMatrix(rows, cols, 31);
  const x = randomMatrix(1, cols, 32).data;

  for (const type of ["q8_0", "q4_0"] as const) {
    test(`${type} x q8_0 equals the f32 product of the dequantised operands`, () => {
      const Wq = toBlockMatrix(type, rows, cols, W.data);
      const y = gemvBlocks(Wq, x);
      // Reference: dequantise both sides (x goes through Q8_0 as in ggml) and multiply in f64.
      const Wd = dequantizeRow(type, Wq.bytes, rows * cols);
      const xd = dequantizeRow("q8_0", quantizeRow("q8_0", x), cols);
      const ref = gemvF32(Wd, rows, cols, xd);
      for (let r = 0; r < rows; r++) expect(y[r]).toBeCloseTo(ref[r], 4);
      // And close to the exact product, within the quantisation error.
      const exact = gemvF32(W.data, rows, cols, x);
      const tol = type === "q8_0" ? 0.2 : 1.5;
      for (let r = 0; r < rows; r++) expect(Math.abs(y[r] - exact[r])).toBeLessThan(tol);
    });
  }

  test("a block dot worked by hand", () => {
    // w_j = (j - 16)/16 sums to -1. With x = ones, x quantises to q = 127, d = 1/127, so the
    // result is sum_j q_j * d_w: the row's own Q8_0 rounding, within 1%.
    const w = Float32Array.from({ length: 32 }, (_, j) => (j - 16) / 16);
    const y = gemvBlocks(toBlockMatrix("q8_0", 1, 32, w), new Float32Array(32).fill(1));
    expect(y[0]).toBeCloseTo(-1, 2); // sum (j-16)/16 for j = 0..31 = -16/16
  });

  test("shape errors are named", () => {
    expect(() => toBlockMatrix("q4_0", 2, 20, new Float32Array(40))).toThrow(/multiple of 32/);
    expect(() => gemvBlocks(toBlockMatrix("q8_0", 1, 32, new Float32Array(32)), new Float32Array(31))).toThrow(
      /31 values/,
    );
  });
});
