import { cholesky, choleskyInverse, choleskyUpper } from "./linalg";

// The textbook example: A = L L^T with small integer L.
const A = Float64Array.from([4, 12, -16, 12, 37, -43, -16, -43, 98]);

describe("Cholesky", () => {
  test("factor of the hand-worked 3x3", () => {
    expect(Array.from(cholesky(A, 3))).toEqual([2, 0, 0, 6, 1, 0, -8, 5, 3]);
    expect(Array.from(choleskyUpper(A, 3))).toEqual([2, 6, -8, 0, 1, 5, 0, 0, 3]);
  });

  test("inverse from the factor equals the exact inverse", () => {
    // A^-1 by cofactors (det A = 36): [[1777, -488, 76], [-488, 136, -20], [76, -20, 4]] / 36.
    const want = [1777, -488, 76, -488, 136, -20, 76, -20, 4].map((v) => v / 36);
    const got = choleskyInverse(cholesky(A, 3), 3);
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 10));
  });

  test("A A^-1 = I on a random SPD 40x40", () => {
    const n = 40;
    let s = 7;
    const r = () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5;
    const B = Float64Array.from({ length: n * n }, r);
    const M = new Float64Array(n * n); // B B^T + n I
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let t = i === j ? n : 0;
        for (let k = 0; k < n; k++) t += B[i * n + k] * B[j * n + k];
        M[i * n + j] = t;
      }
    const inv = choleskyInverse(cholesky(M, n), n);
    let worst = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let t = 0;
        for (let k = 0; k < n; k++) t += M[i * n + k] * inv[k * n + j];
        worst = Math.max(worst, Math.abs(t - (i === j ? 1 : 0)));
      }
    expect(worst).toBeLessThan(1e-12);
  });

  test("a matrix that is not positive definite is refused", () => {
    expect(() => cholesky(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(/not positive definite/);
  });
});
