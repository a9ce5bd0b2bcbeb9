// The fused SIMD kernels (native/simd/kernels.ts, compiled to build/llmlab_simd.wasm by
// `npm run build`), instantiated on the tfjs wasm backend's own WebAssembly.Memory so that
// they read and write tensors where they lie. Absent or unloadable, the fused ops run as
// tfjs ops instead (src/backend/fused.ts).
import * as fs from "fs";
import * as path from "path";
import type { WasmBackend } from "./wasm_heap";

/** Byte offsets into the backend's memory; 0 stands for an absent input. */
export interface SimdKernels {
  gelu(x: number, y: number, n: number): void;
  geluGrad(dy: number, x: number, dx: number, n: number): void;
  layerNorm(x: number, gamma: number, beta: number, y: number, rows: number, C: number, eps: number): void;
  layerNormGrad(
    dy: number,
    x: number,
    gamma: number,
    dx: number,
    dgamma: number,
    dbeta: number,
    rows: number,
    C: number,
    eps: number,
  ): void;
  causalSoftmax(s: number, y: number, rows: number, T: number, Tk: number, scale: number, past: number): void;
  causalSoftmaxGrad(dy: number, y: number, ds: number, rows: number, Tk: number, scale: number): void;
  sgemm(a: number, b: number, c: number, m: number, n: number, k: number, transA: boolean): void;
  crossEntropy(logits: number, labels: number, loss: number, N: number, V: number): void;
  crossEntropyGrad(dy: number, logits: number, labels: number, dz: number, N: number, V: number): void;
  sumOfSquares(x: number, n: number): number;
  adamw(
    p: number,
    g: number,
    m: number,
    v: number,
    p1: number,
    m1: number,
    v1: number,
    n: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    eps: number,
    decay: number,
    stepSize: number,
    invSqrtBc2: number,
  ): void;
}

export type SimdStatus = { kernels: SimdKernels; reason: string } | { kernels: null; reason: string };

export function findSimdWasm(): string | null {
  // From src/backend (ts-jest) or dist/src/backend (compiled): walk up to the package root.
  for (let dir = __dirname, i = 0; i < 5; i++, dir = path.dirname(dir)) {
    const p = path.join(dir, "build", "llmlab_simd.wasm");
    if (fs.existsSync(p)) return p;
    if (fs.existsSync(path.join(dir, "package.json"))) break;
  }
  return null;
}

const loaded = new WeakMap<WebAssembly.Memory, SimdStatus>();

/** The kernels on this backend's memory (instantiated once per memory), or why not. */
export function loadSimd(backend: WasmBackend): SimdStatus {
  const memory = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm?.memory;
  if (!(memory instanceof WebAssembly.Memory))
    return { kernels: null, reason: "the tfjs wasm module does not export its memory" };
  const cached = loaded.get(memory);
  if (cached) return cached;
  let status: SimdStatus;
  const file = findSimdWasm();
  if (!file) status = { kernels: null, reason: "build/llmlab_simd.wasm is not built (npm run build)" };
  else {
    try {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(file)), { env: { memory } });
      status = {
        kernels: instance.exports as unknown as SimdKernels,
        reason: `fused SIMD kernels from ${path.basename(file)}`,
      };
    } catch (e) {
      status = { kernels: null, reason: `build/llmlab_simd.wasm failed to load: ${(e as Error).message}` };
    }
  }
  loaded.set(memory, status);
  return status;
}

/** The kernels for a backend on which wasm.ts has already loaded them. */
export function simd(backend: unknown): SimdKernels {
  const s = loadSimd(backend as WasmBackend);
  if (!s.kernels) throw new Error(`fused kernel called without SIMD kernels: ${s.reason}`);
  return s.kernels;
}
