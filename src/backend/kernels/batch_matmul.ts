// BatchMatMul for the wasm backend. The stock kernel (tfjs-backend-wasm 4.22.0) calls
// XNNPACK only when neither input is transposed and both batches are 1; everything else
// (every attention matmul and every backward matmul) falls to a naive triple loop that
// took 92% of a training step. Here transposes are made explicit (an O(n^2) copy for an
// O(n^3) product) and batches become one XNNPACK call each, addressed in place through
// tensor-id views of the wasm heap. With a native GEMM (the optional addon), the whole
// batch, transposes included, is one native call on the same heap. Without it, many small
// products (attention's, one per batch and head) use the SIMD GEMM of native/simd instead.
import { BatchMatMul, broadcast_util, getKernel, util } from "@tensorflow/tfjs-core";
import type { KernelConfig, KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import { asWasm, heapOffset, registerView, type WasmBackend } from "../wasm_heap";
import { loadSimd } from "../simd";

/**
 * Products of at most this many multiply-adds (64 x 64 x 64), when each batch has its own
 * matrices, go to native/simd's GEMM: for them an XNNPACK call costs more in operator setup
 * than in arithmetic. Larger ones stay with XNNPACK's packed, cache-blocked kernels.
 */
const SMALL_PRODUCT = 64 * 64 * 64;

/** A GEMM over batches of row-major float32 matrices on one ArrayBuffer (offsets in bytes). */
export interface Gemm {
  sgemm(
    heap: ArrayBuffer,
    aOffs: Uint32Array,
    bOffs: Uint32Array,
    cOff: number,
    m: number,
    n: number,
    k: number,
    transA: boolean,
    transB: boolean,
  ): void;
}

/** For each output batch, the flat batch index into a and into b (numpy broadcasting). */
export function broadcastBatches(aOuter: number[], bOuter: number[]): { out: number[]; a: number[]; b: number[] } {
  const out = broadcast_util.assertAndGetBroadcastShape(aOuter, bOuter);
  const n = util.sizeFromShape(out);
  const ia: number[] = new Array(n);
  const ib: number[] = new Array(n);
  for (let o = 0; o < n; o++) {
    let rest = o,
      fa = 0,
      fb = 0,
      sa = 1,
      sb = 1;
    for (let d = out.length - 1; d >= 0; d--) {
      const c = rest % out[d];
      rest = Math.floor(rest / out[d]);
      const da = d - (out.length - aOuter.length),
        db = d - (out.length - bOuter.length);
      if (da >= 0) {
        if (aOuter[da] !== 1) fa += c * sa;
        sa *= aOuter[da];
      }
      if (db >= 0) {
        if (bOuter[db] !== 1) fb += c * sb;
        sb *= bOuter[db];
      }
    }
    ia[o] = fa;
    ib[o] = fb;
  }
  return { out, a: ia, b: ib };
}

function shapeBytes(shape: number[]): Uint8Array {
  return new Uint8Array(new Int32Array(shape).buffer);
}

function transposeLast2(backend: WasmBackend, x: TensorInfo): TensorInfo {
  const r = x.shape.length;
  const perm = [...Array(r).keys()];
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  const transpose = getKernel("Transpose", "wasm");
  if (!transpose) throw new Error("wasm Transpose kernel is not registered");
  return transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as TensorInfo;
}

type XnnMatMul = (
  aId: number,
  aShape: Uint8Array,
  aLen: number,
  bId: number,
  bShape: Uint8Array,
  bLen: number,
  tA: boolean,
  tB: boolean,
  outId: number,
) => void;

export function batchMatMulConfig(gemm: Gemm | null): KernelConfig {
  let xnnMatMul: XnnMatMul | null = null;

  function kernelFunc(args: {
    inputs: Record<string, TensorInfo>;
    backend: unknown;
    attrs?: Record<string, unknown>;
  }): TensorInfo {
    const backend = asWasm(args.backend);
    const { a, b } = args.inputs;
    const transposeA = Boolean(args.attrs?.transposeA),
      transposeB = Boolean(args.attrs?.transposeB);
    if (a.dtype !== "float32" || b.dtype !== "float32") {
      throw new Error(`BatchMatMul: expected float32 inputs, got ${a.dtype} and ${b.dtype}`);
    }
    const ra = a.shape.length,
      rb = b.shape.length;
    const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
    const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
    const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
    const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
    if (k !== kb) {
      throw new Error(
        `BatchMatMul: inner dimensions differ: a ${a.shape} (transposeA=${transposeA}) ` +
          `and b ${b.shape} (transposeB=${transposeB})`,
      );
    }
    const bat = broadcastBatches(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const out = backend.makeOutput([...bat.out, m, n], "float32");
    const batches = bat.a.length;
    if (batches === 0 || m === 0 || n === 0) return out;
    if (k === 0) {
      (backend.typedArrayFromHeap(out) as Float32Array).fill(0);
      return out;
    }

    const outOff = heapOffset(backend, out);
    if (gemm) {
      const aOff = heapOffset(backend, a),
        bOff = heapOffset(backend, b);
      const aOffs = new Uint32Array(batches),
        bOffs = new Uint32Array(batches);
      for (let i = 0; i < batches; i++) {
        aOffs[i] = aOff + bat.a[i] * m * k * 4;
        bOffs[i] = bOff + bat.b[i] * k * n * 4;
      }
      gemm.sgemm(backend.wasm.HEAPU8.buffer as ArrayBuffer, aOffs, bOffs, outOff, m, n, k, transposeA, transposeB);
      return out;
    }

    if (!xnnMatMul) throw new Error("BatchMatMul: kernel used before the wasm backend set it up");
    // One weight matrix for all batches (a linear layer): the batches fold into the rows of a.
    const folded = bat.b.every((bi) => bi === 0) && bat.a.every((ai, i) => ai === i);
    const small = loadSimd(backend).kernels;
    if (!folded && small && m * n * k <= SMALL_PRODUCT) {
      // Many small products (attention): our SIMD GEMM, which reads op(A) by strides, so
      // only B^T needs an explicit transpose.
      const b3 = transposeB ? transposeLast2(backend, b) : b;
      const aOff = heapOffset(backend, a),
        bOff = heapOffset(backend, b3);
      try {
        for (let i = 0; i < batches; i++) {
          small.sgemm(
            aOff + bat.a[i] * m * k * 4,
            bOff + bat.b[i] * k * n * 4,
            outOff + i * m * n * 4,
            m,
            n,
            k,
            transposeA,
          );
        }
      } finally {
        if (b3 !== b) backend.disposeData(b3.dataId);
      }
      return out;
    }
    const a3 = transposeA ? transposeLast2(backend, a) : a;
    const b3 = transposeB ? transposeLast2(backend, b) : b;
    const aOff = heapOffset(backend, a3),
      bOff = heapOffset(backend, b3);
    const views: { release(): void }[] = [];
    const view = (off: number, size: number) => {
      const v = registerView(backend, off, size);
      views.push(v);
      return v.id;
    };
    try {
      if (folded) {
        xnnMatMul(
          view(aOff, batches * m * k),
          shapeBytes([1, batches * m, k]),
          3,
          view(bOff, k * n),
          shapeBytes([1, k, n]),
          3,
          false,
          false,
          view(outOff, batches * m * n),
        );
      } else {
        const aShape = shapeBytes([1, m, k]),
          bShape = shapeBytes([1, k, n]);
        for (let i = 0; i < batches; i++) {
          xnnMatMul(
            view(aOff + bat.a[i] * m * k * 4, m * k),
            aShape,
            3,
            view(bOff + bat.b[i] * k * n * 4, k * n),
            bShape,
            3,
            false,
            false,
            view(outOff + i * m * n * 4, m * n),
          );
        }
      }
    } finally {
      for (const v of views) v.release();
      if (a3 !== a) backend.disposeData(a3.dataId);
      if (b3 !== b) backend.disposeData(b3.dataId);
    }
    return out;
  }

  return {
    kernelName: BatchMatMul,
    backendName: "wasm",
    setupFunc: (b) => {
      xnnMatMul = asWasm(b).wasm.cwrap(BatchMatMul, null, [
        "number",
        "array",
        "number",
        "number",
        "array",
        "number",
        "number",
        "number",
        "number",
      ]) as XnnMatMul;
    },
    kernelFunc: kernelFunc as unknown as KernelFunc,
  };
}
