// The dense linear algebra GPTQ needs: Cholesky factorisation and the inverse from it.
// Written by hand in Float64Array because no maintained JavaScript LAPACK fits here
// (tfjs has no Cholesky, and the sizes, at most a few thousand columns, are fine in plain
// loops). Matrices are n x n, row-major.

/** Lower-triangular L with A = L L^T (A symmetric positive definite). Throws if it is not. */
export function cholesky(A: Float64Array, n: number): Float64Array {
  if (A.length !== n * n) throw new Error(`cholesky: expected ${n}x${n} = ${n * n} values, got ${A.length}`);
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = A[j * n + j];
    const lj = j * n;
    for (let k = 0; k < j; k++) s -= L[lj + k] * L[lj + k];
    if (!(s > 0))
      throw new Error(`cholesky: matrix is not positive definite (pivot ${j} is ${s}); increase the dampening`);
    const d = Math.sqrt(s);
    L[lj + j] = d;
    for (let i = j + 1; i < n; i++) {
      const li = i * n;
      let t = A[li + j];
      for (let k = 0; k < j; k++) t -= L[li + k] * L[lj + k];
      L[li + j] = t / d;
    }
  }
  return L;
}

/** A^-1 from A's Cholesky factor L (torch.cholesky_inverse): A^-1 = L^-T L^-1. */
export function choleskyInverse(L: Float64Array, n: number): Float64Array {
  // M = L^-1 by forward substitution, column by column (M is lower triangular).
  const M = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    M[c * n + c] = 1 / L[c * n + c];
    for (let i = c + 1; i < n; i++) {
      let s = 0;
      for (let k = c; k < i; k++) s -= L[i * n + k] * M[k * n + c];
      M[i * n + c] = s / L[i * n + i];
    }
  }
  // A^-1[i][j] = sum_k M[k][i] M[k][j], k >= max(i, j); symmetric.
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += M[k * n + i] * M[k * n + j];
      inv[i * n + j] = s;
      inv[j * n + i] = s;
    }
  }
  return inv;
}

/** Upper-triangular U with A = U^T U (torch.linalg.cholesky(A, upper=True)): U = L^T. */
export function choleskyUpper(A: Float64Array, n: number): Float64Array {
  const L = cholesky(A, n);
  const U = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) U[j * n + i] = L[i * n + j];
  return U;
}
