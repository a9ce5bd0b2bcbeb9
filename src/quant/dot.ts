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
  // Unpack x's blocks once: scales and int8 quants side by side.
  const xd = new Float32Array(nb);
  const xs = new Int8Array(W.cols);
  const xv = new DataView(xq.buffer);
  for (let b = 0; b < nb; b++) {
    xd[b] = t16[xv.getUint16(b * 34, true)];
    for (let j = 0; j < QK; j++) xs[b * QK + j] = xv.getInt8(b * 34 + 2 + j);
  }
  const wb = W.bytes;
  if (W.type === "q8_0") {
    rowsQ8_0(wb, W.rows, nb, t16, xd, xs, y);
  } else {
    // sum (q - 8) x = sum q x - 8 sum x: the per-block sums of x are computed once (as
    // ggml's Q8_1 stores them) and the offset leaves the inner loop.
    const xsum = new Int32Array(nb);
    for (let b = 0; b < nb; b++) for (let j = 0; j < QK; j++) xsum[b] += xs[b * QK + j];
    rowsQ4_0(wb, W.rows, nb, t16, xd, xs, xsum, y);
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

// One loop per format so the JIT sees a single shape; the 32-wide inner loops are unrolled
// by 4 (no SIMD in plain JavaScript: this is about reading 4-8x fewer bytes, not more math).
function rowsQ8_0(
  wb: Uint8Array,
  rows: number,
  nb: number,
  t16: Float32Array,
  xd: Float32Array,
  xs: Int8Array,
  y: Float32Array,
): void {
  const wi8 = new Int8Array(wb.buffer, wb.byteOffset, wb.byteLength);
  let o = 0;
  for (let r = 0; r < rows; r++) {
    let sumf = 0;
    for (let b = 0; b < nb; b++, o += 34) {
      const d = t16[wb[o] | (wb[o + 1] << 8)] * xd[b];
      let sumi = 0;
      for (let j = 0, q = o + 2, x = b * QK; j < QK; j += 4, q += 4, x += 4) {
        sumi += wi8[q] * xs[x] + wi8[q + 1] * xs[x + 1] + wi8[q + 2] * xs[x + 2] + wi8[q + 3] * xs[x + 3];
      }
      sumf += sumi * d;
    }
    y[r] = sumf;
  }
}

function rowsQ4_0(
  wb: Uint8Array,
  rows: number,
  nb: number,
  t16: Float32Array,
  xd: Float32Array,
  xs: Int8Array,
  xsum: Int32Array,
  y: Float32Array,
): void {
  let o = 0;
  for (let r = 0; r < rows; r++) {
    let sumf = 0;
    for (let b = 0; b < nb; b++, o += 18) {
      const d = t16[wb[o] | (wb[o + 1] << 8)] * xd[b];
      let sumi = 0;
      for (let j = 0, q = o + 2, x = b * QK; j < QK / 2; j += 2, q += 2, x += 2) {
        const q0 = wb[q];
        const q1 = wb[q + 1];
        sumi += (q0 & 15) * xs[x] + (q0 >> 4) * xs[x + 16] + (q1 & 15) * xs[x + 1] + (q1 >> 4) * xs[x + 17];
      }
      sumf += (sumi - 8 * xsum[b]) * d;
    }
    y[r] = sumf;
  }
}
