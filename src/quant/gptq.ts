// GPTQ (Frantar et al. 2022, "GPTQ: Accurate Post-Training Quantization for Generative
// Pre-trained Transformers"), following the reference code (IST-DASLab/gptq, gptq.py
// fasterquant). Quantise W column by column; after each column, spread its rounding error
// over the columns not yet quantised so that the layer's output W X changes least:
//   H = 2 X X^T (inputs as columns), damped by 1% of its mean diagonal,
//   Hinv = upper Cholesky factor of H^-1,
//   err = (w_i - q_i) / Hinv[i,i];  W[:, j>i] -= err * Hinv[i, j>i].
// Updates inside a block of 128 columns are applied at once to the rest ("lazy batch").
import { cholesky, choleskyInverse, choleskyUpper } from "./linalg";
import { Matrix, matrix } from "./matrix";
import { Grid, minMaxGrid, quantizeCode } from "./rtn";

export interface GPTQOptions {
  bits: number;
  /** Columns per lazy-batch block (reference: 128). */
  blockSize?: number;
  /** Dampening as a fraction of the mean diagonal of H (reference: 0.01). */
  percDamp?: number;
  /** Columns per quantisation group; 0 or undefined = one grid per row. */
  groupSize?: number;
  /** Quantise columns in order of decreasing H diagonal ("act-order"). */
  actOrder?: boolean;
}

export interface GPTQResult {
  /** Dequantised weights, original column order. */
  weights: Matrix;
  /** Integer codes, row-major, original column order. */
  codes: Int32Array;
  /** Grids, row-major [rows, groups] (groups = 1 without groupSize). */
  grids: Grid[];
  /** Group of each original column (the reference's g_idx). */
  groupIndex: Int32Array;
  /** The reference's summed Losses: sum (w - q)^2 / Hinv[i,i]^2 / 2. */
  loss: number;
  /** Bytes to store it: bits per code, an fp16 scale and a `bits`-wide zero per grid. */
  bytes: number;
}

/** Accumulates the Hessian H = 2/N sum x x^T of one linear layer's inputs (add_batch). */
export class GPTQ {
  readonly columns: number;
  readonly H: Float64Array;
  nsamples = 0;

  constructor(columns: number) {
    if (!Number.isInteger(columns) || columns <= 0)
      throw new Error(`GPTQ: columns must be a positive integer, got ${columns}`);
    this.columns = columns;
    this.H = new Float64Array(columns * columns);
  }

  /**
   * Add calibration inputs: X has one input vector per row ([tokens, columns]). `samples`
   * is how many calibration sequences they came from (the reference counts sequences, not
   * tokens: it only rescales H, which GPTQ is invariant to up to the dampening).
   */
  addBatch(X: Matrix, samples = 1): void {
    if (X.cols !== this.columns)
      throw new Error(`GPTQ.addBatch: inputs have ${X.cols} features, the layer has ${this.columns} columns`);
    const n = this.columns;
    const H = this.H;
    const shrink = this.nsamples / (this.nsamples + samples);
    for (let i = 0; i < H.length; i++) H[i] *= shrink;
    this.nsamples += samples;
    const s = 2 / this.nsamples;
    const x = X.data;
    // Lower triangle of sum x x^T, then mirrored.
    for (let t = 0; t < X.rows; t++) {
      const o = t * n;
      for (let i = 0; i < n; i++) {
        const xi = x[o + i] * s;
        if (xi === 0) continue;
        const hi = i * n;
        for (let j = 0; j <= i; j++) H[hi + j] += xi * x[o + j];
      }
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) H[j * n + i] = H[i * n + j];
  }

  /** fasterquant: quantise W ([rows, columns]) against the accumulated H. */
  quantize(W: Matrix, opts: GPTQOptions): GPTQResult {
    return gptqQuantize(W, this.H, opts);
  }
}

/** GPTQ on weights W [rows, cols] with Hessian H [cols, cols] (H is not modified). */
export function gptqQuantize(Win: Matrix, Hin: Float64Array, opts: GPTQOptions): GPTQResult {
  const { bits } = opts;
  const blockSize = opts.blockSize ?? 128;
  const percDamp = opts.percDamp ?? 0.01;
  const groupSize = opts.groupSize ?? 0;
  const rows = Win.rows;
  const n = Win.cols;
  if (Hin.length !== n * n)
    throw new Error(`GPTQ: H has ${Hin.length} values, expected ${n} x ${n} for ${n} weight columns`);
  if (!Number.isInteger(blockSize) || blockSize <= 0)
    throw new Error(`GPTQ: blockSize must be a positive integer, got ${blockSize}`);
  if (!Number.isInteger(groupSize) || groupSize < 0)
    throw new Error(`GPTQ: groupSize must be a non-negative integer, got ${groupSize}`);
  const H = Float64Array.from(Hin);
  const W = Float64Array.from(Win.data);
  // Per-row grids from the whole row (find_params, before dead columns are zeroed, as the
  // reference); with groups they are replaced group by group below.
  let grids: Grid[] = [];
  for (let r = 0; r < rows; r++) grids.push(minMaxGrid(W, bits, r * n, (r + 1) * n));

  // Dead inputs (never active in calibration): their weights cannot matter, set them to 0.
  for (let c = 0; c < n; c++) {
    if (H[c * n + c] === 0) {
      H[c * n + c] = 1;
      for (let r = 0; r < rows; r++) W[r * n + c] = 0;
    }
  }
  // Act-order: columns with the largest inputs first (stable order on ties).
  const perm = Array.from({ length: n }, (_, i) => i);
  if (opts.actOrder) {
    const diag = perm.map((i) => H[i * n + i]);
    perm.sort((a, b) => diag[b] - diag[a]);
    permute(W, rows, n, perm, H);
  }

  let damp = 0;
  for (let c = 0; c < n; c++) damp += H[c * n + c];
  damp = (percDamp * damp) / n;
  for (let c = 0; c < n; c++) H[c * n + c] += damp;
  const Hinv = choleskyUpper(choleskyInverse(cholesky(H, n), n), n);

  const Q = new Float64Array(rows * n);
  const codes = new Int32Array(rows * n);
  const groupOfCol = new Int32Array(n);
  const allGrids: Grid[][] = []; // per group: one grid per row
  if (!groupSize) allGrids.push(grids);
  let loss = 0;
  const W1 = new Float64Array(rows * blockSize);
  const Err1 = new Float64Array(rows * blockSize);

  for (let i1 = 0; i1 < n; i1 += blockSize) {
    const i2 = Math.min(i1 + blockSize, n);
    const count = i2 - i1;
    for (let r = 0; r < rows; r++) for (let i = 0; i < count; i++) W1[r * blockSize + i] = W[r * n + i1 + i];
    for (let i = 0; i < count; i++) {
      const col = i1 + i;
      if (groupSize && col % groupSize === 0) {
        // As the reference: the group's grids come from W, which holds the lazy updates of
        // earlier blocks but not yet those of earlier columns in this block.
        const end = Math.min(n, col + groupSize);
        grids = [];
        for (let r = 0; r < rows; r++) grids.push(minMaxGrid(W, bits, r * n + col, r * n + end));
        allGrids.push(grids);
      }
      groupOfCol[col] = allGrids.length - 1;
      const d = Hinv[col * n + col];
      for (let r = 0; r < rows; r++) {
        const w = W1[r * blockSize + i];
        const g = grids[r];
        const code = quantizeCode(w, g);
        const q = g.scale * (code - g.zero);
        Q[r * n + col] = q;
        codes[r * n + col] = code;
        const err = (w - q) / d;
        loss += (err * err) / 2;
        // Error feedback inside the block: W1[:, i:] -= err * Hinv[col, i1+i:i2].
        const wo = r * blockSize;
        const ho = col * n + i1;
        for (let j = i + 1; j < count; j++) W1[wo + j] -= err * Hinv[ho + j];
        Err1[wo + i] = err;
      }
    }
    // Lazy batch: W[:, i2:] -= Err1 Hinv[i1:i2, i2:].
    for (let r = 0; r < rows; r++) {
      const wo = r * n;
      for (let i = 0; i < count; i++) {
        const e = Err1[r * blockSize + i];
        if (e === 0) continue;
        const ho = (i1 + i) * n;
        for (let j = i2; j < n; j++) W[wo + j] -= e * Hinv[ho + j];
      }
    }
  }

  // Undo the act-order permutation.
  const out = matrix(rows, n);
  const outCodes = new Int32Array(rows * n);
  const groupIndex = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const c = perm[k];
    groupIndex[c] = groupOfCol[k];
    for (let r = 0; r < rows; r++) {
      out.data[r * n + c] = Q[r * n + k];
      outCodes[r * n + c] = codes[r * n + k];
    }
  }
  const flatGrids: Grid[] = [];
  for (let r = 0; r < rows; r++) for (const g of allGrids) flatGrids.push(g[r]);
  const bytes = Math.ceil((rows * n * bits + flatGrids.length * (16 + bits)) / 8);
  return { weights: out, codes: outCodes, grids: flatGrids, groupIndex, loss, bytes };
}

/** Reorder W's columns and H's rows and columns by perm (in place). */
function permute(W: Float64Array, rows: number, n: number, perm: number[], H: Float64Array): void {
  const tmp = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < n; k++) tmp[k] = W[r * n + perm[k]];
    W.set(tmp, r * n);
  }
  const H2 = new Float64Array(n * n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) H2[a * n + b] = H[perm[a] * n + perm[b]];
  H.set(H2);
}
