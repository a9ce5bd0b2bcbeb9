// Matrix-vector products straight on GGML blocks, as ggml's CPU kernels do for Q8_0 and
// Q4_0 weights: the activation vector is quantised to Q8_0 once, then each 32-weight block
// contributes an integer dot product scaled by the two fp16 block scales
// (ggml_vec_dot_q8_0_q8_0 / ggml_vec_dot_q4_0_q8_0). The point is memory: a Q4_0 row is
// 4.5 bits per weight instead of 32, and a matrix-vector product is bound by reading it.
import { fp16ToFp32 } from "./fp16";
import { QK, ggmlRowBytes, quantizeRow } from "./ggml";

// fp16 -> fp32 for every bit pattern, like ggml's ggml_table_f32_f16.
let table: Float32Array | undefined;
function f16Table(): Float32Array {
  if (!table) {
    table = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) table[h] = fp16ToFp32(h);
  }
  return table;
}

export interface BlockMatrix {
  type: "q8_0" | "q4_0";
  rows: number;
  cols: number;
  bytes: Uint8Array; // rows x ggmlRowBytes(type, cols)
}

/** Quantise a row-major [rows, cols] float32 matrix row by row. */
export function toBlockMatrix(type: "q8_0" | "q4_0", rows: number, cols: number, w: Float32Array): BlockMatrix {
  if (w.length !== rows * cols) throw new Error(`toBlockMatrix: ${w.length} values for [${rows}, ${cols}]`);
  ggmlRowBytes(type, cols); // checks cols % 32
  return { type, rows, cols, bytes: quantizeRow(type, w) };
}

/** y = W x with W in blocks and x quantised to Q8_0 on the way in. */
export function gemvBlocks(W: BlockMatrix, x: Float32Array, y = new Float32Array(W.rows)): Float32Array {
  if (x.length !== W.cols) throw new Error(`gemvBlocks: x has ${x.length} values, W has ${W.cols} columns`);
  const t16 = f16Table();
  const xq = quantizeRow("q8_0", x);
  const nb = W.cols / QK;
  // Unpack x's blocks once: scales and int8 quants side by side, and each block's sum of quants.
  const xa: Q8Activations = { d: new Float32Array(nb), qs: new Int8Array(W.cols), sums: new Int32Array(nb) };
  const xv = new DataView(xq.buffer);
  for (let b = 0; b < nb; b++) {
    xa.d[b] = t16[xv.getUint16(b * 34, true)];
    for (let j = 0; j < QK; j++) {
      xa.qs[b * QK + j] = xv.getInt8(b * 34 + 2 + j);
      xa.sums[b] += xa.qs[b * QK + j];
    }
  }
  const wb = W.bytes;
  const rowBytes = ggmlRowBytes(W.type, W.cols);
  if (W.type === "q8_0") {
    const w8 = new Int8Array(wb.buffer, wb.byteOffset, wb.byteLength);
    for (let r = 0; r < W.rows; r++) y[r] = vecDotQ8_0(wb, w8, r * rowBytes, xa, t16);
  } else {
    for (let r = 0; r < W.rows; r++) y[r] = vecDotQ4_0(wb, r * rowBytes, xa, t16);
  }
  return y;
}

/** The float32 baseline: y = W x over a dequantised row-major matrix. */
export function gemvF32(
  W: Float32Array,
  rows: number,
  cols: number,
  x: Float32Array,
  y = new Float32Array(rows),
): Float32Array {
  if (W.length !== rows * cols || x.length !== cols)
    throw new Error(`gemvF32: W has ${W.length} values for [${rows}, ${cols}], x has ${x.length}`);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let s = 0;
    for (let c = 0; c < cols; c++) s += W[o + c] * x[c];
    y[r] = s;
  }
  return y;
}

/** x quantised to Q8_0 and unpacked: per-block scales, int8 quants, per-block sums of the quants. */
interface Q8Activations {
  d: Float32Array;
  qs: Int8Array;
  sums: Int32Array;
}

// One row of W against x, one function per format as ggml's ggml_vec_dot_q8_0_q8_0 and
// ggml_vec_dot_q4_0_q8_0, so the JIT sees a single shape in each; the 32-wide inner loops are
// unrolled by 4 (no SIMD in plain JavaScript: this is about reading 4-8x fewer bytes, not more
// math). `o` is the row's first byte; t16 maps an fp16 block scale to fp32.
function vecDotQ8_0(wb: Uint8Array, w8: Int8Array, o: number, x: Q8Activations, t16: Float32Array): number {
  const { d: xd, qs: xs } = x;
  let sumf = 0;
  for (let b = 0; b < xd.length; b++, o += 34) {
    const d = t16[wb[o] | (wb[o + 1] << 8)] * xd[b];
    let sumi = 0;
    for (let j = 0, q = o + 2, i = b * QK; j < QK; j += 4, q += 4, i += 4) {
      sumi += w8[q] * xs[i] + w8[q + 1] * xs[i + 1] + w8[q + 2] * xs[i + 2] + w8[q + 3] * xs[i + 3];
    }
    sumf += sumi * d;
  }
  return sumf;
}

// Q4_0 stores q - 8 as a nibble, with weights j and j + 16 of a block in one byte:
// sum (q - 8) x = sum q x - 8 sum x, so the offset leaves the inner loop (x's block sums, as
// ggml's Q8_1 stores them).
function vecDotQ4_0(wb: Uint8Array, o: number, x: Q8Activations, t16: Float32Array): number {
  const { d: xd, qs: xs, sums } = x;
  let sumf = 0;
  for (let b = 0; b < xd.length; b++, o += 18) {
    const d = t16[wb[o] | (wb[o + 1] << 8)] * xd[b];
    let sumi = 0;
    for (let j = 0, q = o + 2, i = b * QK; j < QK / 2; j += 2, q += 2, i += 2) {
      const q0 = wb[q];
      const q1 = wb[q + 1];
      sumi += (q0 & 15) * xs[i] + (q0 >> 4) * xs[i + 16] + (q1 & 15) * xs[i + 1] + (q1 >> 4) * xs[i + 17];
    }
    sumf += (sumi - 8 * sums[b]) * d;
  }
  return sumf;
}
