// Round-to-nearest (RTN) baselines: every weight is rounded on its own, with no regard to
// the others. Two grids, as in the literature:
// - absmax (symmetric, LLM.int8()): scale = max|w| / (2^(b-1) - 1), q = round(w / scale).
// - min-max (asymmetric, with a zero point), exactly GPTQ's Quantizer (quant.py): the
//   range is widened to include 0, scale = (max - min) / (2^b - 1), zero = round(-min /
//   scale), q = clamp(round(w / scale) + zero, 0, 2^b - 1), w' = scale (q - zero).
// Granularity: one grid per tensor, per output channel (row) or per group of columns in a
// row. Rounding is half to even, as torch.round in the reference code.
import { Matrix, matrix } from "./matrix";

export type RTNScheme = "absmax" | "minmax";
export type Granularity = "tensor" | "channel" | "group";

export interface RTNOptions {
  bits: number;
  scheme?: RTNScheme; // default "minmax"
  granularity?: Granularity; // default "channel"
  groupSize?: number; // columns per group when granularity is "group"
}

/** One quantisation grid: w' = scale * (q - zero), q in [qmin, qmax]. */
export interface Grid {
  scale: number;
  zero: number;
  qmin: number;
  qmax: number;
}

export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function checkBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < 2 || bits > 16)
    throw new Error(`bits must be an integer in 2..16, got ${bits}`);
}

/** GPTQ's Quantizer.find_params for one set of values (sym=false: min-max with zero point). */
export function minMaxGrid(values: ArrayLike<number>, bits: number, start = 0, end = values.length, stride = 1): Grid {
  checkBits(bits);
  let xmin = 0; // torch.minimum(x.min(), 0): the grid always contains 0
  let xmax = 0;
  for (let i = start; i < end; i += stride) {
    xmin = Math.min(xmin, values[i]);
    xmax = Math.max(xmax, values[i]);
  }
  if (xmin === 0 && xmax === 0) {
    xmin = -1;
    xmax = 1;
  }
  const qmax = 2 ** bits - 1;
  const scale = (xmax - xmin) / qmax;
  return { scale, zero: roundHalfEven(-xmin / scale) + 0, qmin: 0, qmax }; // + 0 turns -0 into 0
}

/** Symmetric absmax grid: zero at 0, codes in [-(2^(b-1)-1), 2^(b-1)-1]. */
export function absMaxGrid(values: ArrayLike<number>, bits: number, start = 0, end = values.length, stride = 1): Grid {
  checkBits(bits);
  let amax = 0;
  for (let i = start; i < end; i += stride) amax = Math.max(amax, Math.abs(values[i]));
  const qmax = 2 ** (bits - 1) - 1;
  return { scale: amax > 0 ? amax / qmax : 1, zero: 0, qmin: -qmax, qmax };
}

export function quantizeCode(w: number, g: Grid): number {
  return Math.min(g.qmax, Math.max(g.qmin, roundHalfEven(w / g.scale) + g.zero));
}

/** GPTQ's quantize(): w -> its nearest grid point. */
export function quantizeValue(w: number, g: Grid): number {
  return g.scale * (quantizeCode(w, g) - g.zero);
}

export interface RTNResult {
  /** The dequantised weights (what the model computes with). */
  weights: Matrix;
  /** Integer codes, row-major like the weights. */
  codes: Int32Array;
  /** One grid per tensor / row / (row, group), in that order. */
  grids: Grid[];
  /** Bytes to store it: bits per code, plus an fp16 scale and a `bits`-wide zero per grid. */
  bytes: number;
}

/** Round-to-nearest quantisation of a weight matrix. */
export function quantizeRTN(W: Matrix, opts: RTNOptions): RTNResult {
  const { bits } = opts;
  const scheme = opts.scheme ?? "minmax";
  const gran = opts.granularity ?? "channel";
  const findGrid = scheme === "absmax" ? absMaxGrid : minMaxGrid;
  let groupSize = W.cols;
  if (gran === "group") {
    groupSize = opts.groupSize ?? 128;
    if (!Number.isInteger(groupSize) || groupSize <= 0)
      throw new Error(`groupSize must be a positive integer, got ${groupSize}`);
  }
  const out = matrix(W.rows, W.cols);
  const codes = new Int32Array(W.rows * W.cols);
  const grids: Grid[] = [];
  const tensorGrid = gran === "tensor" ? findGrid(W.data, bits) : undefined;
  for (let r = 0; r < W.rows; r++) {
    for (let c0 = 0; c0 < W.cols; c0 += groupSize) {
      const c1 = Math.min(W.cols, c0 + groupSize);
      const o = r * W.cols;
      const g = tensorGrid ?? findGrid(W.data, bits, o + c0, o + c1);
      if (!tensorGrid) grids.push(g);
      for (let c = c0; c < c1; c++) {
        const q = quantizeCode(W.data[o + c], g);
        codes[o + c] = q;
        out.data[o + c] = g.scale * (q - g.zero);
      }
    }
  }
  if (tensorGrid) grids.push(tensorGrid);
  const zeroBits = scheme === "minmax" ? bits : 0;
  const bytes = Math.ceil((W.rows * W.cols * bits + grids.length * (16 + zeroBits)) / 8);
  return { weights: out, codes, grids, bytes };
}
