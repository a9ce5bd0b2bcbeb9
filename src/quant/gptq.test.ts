import { GPTQ, gptqQuantize } from "./gptq";
import { Matrix, diffNorm, linear, matrix } from "./matrix";
import { Grid, minMaxGrid, quantizeRTN, quantizeValue } from "./rtn";
import { correlatedInputs, randomMatrix } from "./random-matrices";

function hessian(X: Matrix): Float64Array {
  const g = new GPTQ(X.cols);
  g.addBatch(X);
  return g.H;
}

/**
 * The algorithm as the paper states it before its speed-ups (OBS-style, section 3): keep
 * the full inverse Hessian of the columns not yet quantised, invert it directly
 * (Gauss-Jordan), quantise column i, move the others by -(w_i - q_i) / Hinv_ii * Hinv_i:,
 * then remove i from Hinv by one step of Gaussian elimination.
 */
function gptqNaive(W: Matrix, Hin: Float64Array, bits: number): Float32Array {
  const n = W.cols;
  const H = Float64Array.from(Hin);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += H[i * n + i] / n;
  for (let i = 0; i < n; i++) H[i * n + i] += 0.01 * mean;
  const Hinv = gaussJordanInverse(H, n);
  const w = Float64Array.from(W.data);
  const grids: Grid[] = [];
  for (let r = 0; r < W.rows; r++) grids.push(minMaxGrid(W.data, bits, r * n, (r + 1) * n));
  const Q = new Float32Array(W.rows * n);
  for (let i = 0; i < n; i++) {
    const d = Hinv[i * n + i];
    for (let r = 0; r < W.rows; r++) {
      const q = quantizeValue(w[r * n + i], grids[r]);
      Q[r * n + i] = q;
      const e = (w[r * n + i] - q) / d;
      for (let j = i + 1; j < n; j++) w[r * n + j] -= e * Hinv[i * n + j];
    }
    for (let a = i + 1; a < n; a++)
      for (let b = i + 1; b < n; b++) Hinv[a * n + b] -= (Hinv[a * n + i] * Hinv[i * n + b]) / d;
  }
  return Q;
}

function gaussJordanInverse(A: Float64Array, n: number): Float64Array {
  const M = Float64Array.from(A);
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    const p = M[c * n + c];
    for (let j = 0; j < n; j++) {
      M[c * n + j] /= p;
      I[c * n + j] /= p;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r * n + c];
      for (let j = 0; j < n; j++) {
        M[r * n + j] -= f * M[c * n + j];
        I[r * n + j] -= f * I[c * n + j];
      }
    }
  }
  return I;
}

describe("GPTQ", () => {
  const X = correlatedInputs(512, 48, 1);
  const W = randomMatrix(24, 48, 2, 0.1);
  const H = hessian(X);

  test("H = 2/N sum x x^T, accumulated over batches as the reference's add_batch", () => {
    const g = new GPTQ(48);
    g.addBatch(matrix(256, 48, X.data.slice(0, 256 * 48)));
    g.addBatch(matrix(256, 48, X.data.slice(256 * 48)));
    // Two batches of one sample each: H = 2/2 sum over all tokens.
    let h01 = 0;
    for (let t = 0; t < 512; t++) h01 += X.data[t * 48] * X.data[t * 48 + 1];
    expect(g.H[1]).toBeCloseTo(h01, 6);
    expect(g.H[48]).toBe(g.H[1]);
    g.H.forEach((v, i) => expect(v).toBeCloseTo(H[i] / 2, 6)); // one batch counted as 1 sample: 2/1
  });

  test("equals the paper's unoptimised OBS-style algorithm (same codes)", () => {
    for (const bits of [4, 3]) {
      const ref = gptqNaive(W, H, bits);
      const got = gptqQuantize(W, H, { bits });
      expect(diffNorm(got.weights.data, ref)).toBeLessThan(1e-5);
    }
  });

  test("lazy batch updates change nothing but speed (block 7 vs 128)", () => {
    const a = gptqQuantize(W, H, { bits: 3, blockSize: 7 });
    const b = gptqQuantize(W, H, { bits: 3, blockSize: 128 });
    expect(Array.from(a.codes)).toEqual(Array.from(b.codes));
    expect(a.loss).toBeCloseTo(b.loss, 8);
  });

  test("lower output error ||WX - QX|| than RTN at 4 and 3 bits", () => {
    const Y = linear(W, X);
    for (const bits of [4, 3]) {
      const rtn = diffNorm(linear(quantizeRTN(W, { bits }).weights, X).data, Y.data);
      const gptq = diffNorm(linear(gptqQuantize(W, H, { bits }).weights, X).data, Y.data);
      const gptqAct = diffNorm(
        linear(gptqQuantize(W, H, { bits, actOrder: true, groupSize: 16 }).weights, X).data,
        Y.data,
      );
      expect(gptq).toBeLessThan(0.8 * rtn);
      expect(gptqAct).toBeLessThan(0.8 * rtn);
    }
  });

  test("every weight lands on its row's grid; groups and act-order keep the column order", () => {
    const r = gptqQuantize(W, H, { bits: 4, groupSize: 16, actOrder: true });
    expect(r.grids.length).toBe(24 * 3);
    for (let row = 0; row < 24; row++) {
      for (let c = 0; c < 48; c++) {
        const g = r.grids[row * 3 + r.groupIndex[c]];
        expect(r.codes[row * 48 + c]).toBeGreaterThanOrEqual(0);
        expect(r.codes[row * 48 + c]).toBeLessThanOrEqual(15);
        expect(r.weights.data[row * 48 + c]).toBeCloseTo(g.scale * (r.codes[row * 48 + c] - g.zero), 5);
      }
    }
    // act-order groups follow decreasing H diagonal: the largest input column is in group 0.
    let big = 0;
    for (let c = 1; c < 48; c++) if (H[c * 48 + c] > H[big * 48 + big]) big = c;
    expect(r.groupIndex[big]).toBe(0);
  });

  test("dead inputs (never active) get zero weights", () => {
    const Xd = matrix(X.rows, X.cols, X.data.slice());
    for (let t = 0; t < Xd.rows; t++) Xd.data[t * 48 + 5] = 0;
    const r = gptqQuantize(W, hessian(Xd), { bits: 4 });
    for (let row = 0; row < 24; row++)
      expect(Math.abs(r.weights.data[row * 48 + 5])).toBeLessThan(0.5 * r.grids[row].scale + 1e-9);
  });

  test("shape mismatches are refused", () => {
    expect(() => gptqQuantize(W, new Float64Array(4), { bits: 4 })).toThrow(/expected 48 x 48/);
    expect(() => new GPTQ(48).addBatch(matrix(2, 3))).toThrow(/3 features/);
  });
});
