// The few internals of @tensorflow/tfjs-backend-wasm 4.22.0 that our kernels touch.
// BackendWasm's own .d.ts names the Emscripten module through @types/emscripten, which we
// do not install, so the shapes we rely on are spelled out here. The package is pinned
// to an exact version in package.json because these are not public API.
import type { DataType, KernelBackend, TensorInfo } from "@tensorflow/tfjs-core";

export interface WasmModule {
  HEAPU8: Uint8Array;
  cwrap(name: string, ret: null | string, args: string[]): (...args: unknown[]) => unknown;
  tfjs: {
    registerTensor(id: number, size: number, memoryOffset: number): void;
    disposeData(id: number): void;
  };
}

interface TensorData {
  id: number;
  memoryOffset: number;
  shape: number[];
  dtype: DataType;
  refCount: number;
}

export interface WasmBackend extends KernelBackend {
  wasm: WasmModule;
  dataIdMap: { get(dataId: object): TensorData };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  incRef(dataId: object): void;
  disposeData(dataId: object, force?: boolean): boolean;
}

export function asWasm(backend: unknown): WasmBackend {
  return backend as WasmBackend;
}

/** Byte offset of a tensor's data on the wasm heap. */
export function heapOffset(backend: WasmBackend, info: TensorInfo): number {
  return backend.dataIdMap.get(info.dataId).memoryOffset;
}

export function f32(backend: WasmBackend, info: TensorInfo): Float32Array {
  if (info.dtype !== "float32") throw new Error(`expected a float32 tensor, got ${info.dtype}`);
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/**
 * Registers a view of `size` floats at `memoryOffset` under a fresh tensor id, so that
 * the wasm module's C++ kernels can address a slice of a tensor without a copy.
 * The id comes from the backend's own counter, so it can never collide with a tensor's.
 * Call the returned release() when done: it also drops XNNPACK operators cached on the id.
 */
export function registerView(
  backend: WasmBackend,
  memoryOffset: number,
  size: number,
): { id: number; release(): void } {
  const counter = backend as unknown as { dataIdNextNumber: number };
  const id = counter.dataIdNextNumber++;
  backend.wasm.tfjs.registerTensor(id, size, memoryOffset);
  return { id, release: () => backend.wasm.tfjs.disposeData(id) };
}
