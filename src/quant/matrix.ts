// Weight matrices as plain data: row-major [rows, cols] = [out, in], as a linear layer's
// W in y = W x. Kept independent of tfjs so the algorithms run on any model's weights.

export interface Matrix {
  rows: number;
  cols: number;
  data: Float32Array; // length rows * cols, row-major
}

export function matrix(rows: number, cols: number, data?: Float32Array): Matrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows <= 0 || cols <= 0) {
    throw new Error(`matrix: rows and cols must be positive integers, got ${rows} x ${cols}`);
  }
  if (data && data.length !== rows * cols) {
    throw new Error(`matrix: data has ${data.length} values, expected ${rows} x ${cols} = ${rows * cols}`);
  }
  return { rows, cols, data: data ?? new Float32Array(rows * cols) };
}

/** Y = W X^T for activations X given as n rows of length W.cols: returns [n, W.rows] (x W^T). */
export function linear(W: Matrix, X: Matrix): Matrix {
  if (X.cols !== W.cols) throw new Error(`linear: inputs have ${X.cols} features, the weight expects ${W.cols}`);
  const Y = matrix(X.rows, W.rows);
  for (let n = 0; n < X.rows; n++) {
    const xo = n * X.cols;
    for (let r = 0; r < W.rows; r++) {
      const wo = r * W.cols;
      let s = 0;
      for (let c = 0; c < W.cols; c++) s += W.data[wo + c] * X.data[xo + c];
      Y.data[n * W.rows + r] = s;
    }
  }
  return Y;
}

/** Euclidean norm (a loop: Math.hypot(...a) overflows the stack on large arrays). */
export function norm(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/** Frobenius norm of A - B. */
export function diffNorm(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`diffNorm: lengths differ (${a.length} vs ${b.length})`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}
