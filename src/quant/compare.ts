// One weight matrix quantised every way, side by side: the per-weight errors (for the
// histograms of notebook 06) and the layer's relative output error ||W X - Q X|| / ||W X||
// on calibration inputs X, which is what GPTQ minimises and RTN ignores.
import { GGMLBlockType, dequantizeRow, quantizeRow } from "./ggml";
import { GPTQ } from "./gptq";
import { Matrix, diffNorm, linear, norm } from "./matrix";
import { quantizeRTN } from "./rtn";

export interface MethodError {
  /** w' - w for every weight. */
  errors: Float32Array;
  /** ||W X - Q X|| / ||W X|| over the inputs X. */
  outputError: number;
  /** Bits per weight, scales included. */
  bitsPerWeight: number;
}

export type CompareMethod = "rtn8" | "rtn4" | "rtn3" | "gptq4" | "gptq3" | GGMLBlockType;

/** Quantise W [out, in] by each method; X holds calibration inputs as rows [tokens, in]. */
export function compareMethods(W: Matrix, X: Matrix, methods: readonly CompareMethod[]): Record<string, MethodError> {
  const Y = linear(W, X);
  const yNorm = norm(Y.data);
  const n = W.rows * W.cols;
  let gptq: GPTQ | undefined;
  const out: Record<string, MethodError> = {};
  for (const m of methods) {
    let Q: Float32Array;
    let bytes: number;
    if (m.startsWith("rtn") || m.startsWith("gptq")) {
      const bits = Number(m.slice(-1));
      if (m.startsWith("rtn")) {
        const r = quantizeRTN(W, { bits });
        [Q, bytes] = [r.weights.data, r.bytes];
      } else {
        if (!gptq) {
          gptq = new GPTQ(W.cols);
          gptq.addBatch(X);
        }
        const r = gptq.quantize(W, { bits });
        [Q, bytes] = [r.weights.data, r.bytes];
      }
    } else {
      const b = quantizeRow(m as GGMLBlockType, W.data);
      [Q, bytes] = [dequantizeRow(m as GGMLBlockType, b, n), b.length];
    }
    const errors = Q.map((q, i) => q - W.data[i]);
    const outputError = diffNorm(linear({ rows: W.rows, cols: W.cols, data: Q }, X).data, Y.data) / yNorm;
    out[m] = { errors, outputError, bitsPerWeight: (8 * bytes) / n };
  }
  return out;
}
