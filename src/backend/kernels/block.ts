// The fused transformer block (native/block.cc) as two wasm-backend kernels: the forward,
// which also returns what the backward needs, and the backward, which returns the gradients
// of the input and of every weight. Both hand the addon byte offsets into the wasm heap, so
// nothing is copied in or out. Registered only when the native addon is loaded (src/backend/wasm.ts).
import { util, type KernelConfig, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs-core";
import { ThreadTuner } from "../thread_tuner";
import { asWasm, heapOffset, type WasmBackend } from "../wasm_heap";
import type { KernelArgs as Args } from "./stock";

export const BLOCK = "LlmlabBlock";
export const BLOCK_GRAD = "LlmlabBlockGrad";

/** The addon's two entry points (heap, byte offsets of every slot, [B, T, C, H], layer-norm eps) and its pool's size. */
export interface BlockAddon {
  blockForward(heap: ArrayBuffer, offs: Uint32Array, dims: Int32Array, eps: number): void;
  blockBackward(heap: ArrayBuffer, offs: Uint32Array, dims: Int32Array, eps: number): void;
  /** Sets the pool's threads unless they were pinned (src/backend/addon.ts). */
  tuneThreads(n: number): void;
  info(): { threads: number; pinned: boolean };
}

/** The block's weights, in the order of the kernels' inputs (GPT-2 names in comments). */
export const WEIGHTS = ["ln1", "wqkv", "wproj", "ln2", "wfc", "wfp"] as const;
// ln_1.weight [C], attn.c_attn.weight [C, 3C], attn.c_proj.weight [C, C], ln_2.weight [C],
// mlp.c_fc.weight [C, 4C], mlp.c_proj.weight [4C, C].

/** What the forward saves for the backward, in native/block.cc's slot order. */
export const SAVED = ["ln1Out", "stats1", "qkv", "att", "atty", "x2", "ln2Out", "stats2", "dgelu", "fchg"] as const;

export interface BlockAttrs {
  B: number;
  T: number;
  nHead: number;
  eps: number;
}

function savedShapes(a: BlockAttrs, C: number): number[][] {
  const N = a.B * a.T;
  return [
    [N, C],
    [N, 2],
    [N, 3 * C],
    [a.B, a.nHead, a.T, a.T],
    [N, C],
    [N, C],
    [N, C],
    [N, 2],
    [N, 4 * C],
    [N, 4 * C],
  ];
}

function checkShapes(inputs: Record<string, TensorInfo>, a: BlockAttrs): number {
  const x = inputs.x;
  const C = x.shape[1];
  const want: Record<string, number[]> = {
    x: [a.B * a.T, C],
    ln1: [C],
    wqkv: [C, 3 * C],
    wproj: [C, C],
    ln2: [C],
    wfc: [C, 4 * C],
    wfp: [4 * C, C],
  };
  for (const [name, shape] of Object.entries(want)) {
    const t = inputs[name];
    if (!t || !util.arraysEqual(t.shape, shape) || t.dtype !== "float32")
      throw new Error(
        `${BLOCK}: input ${name} must be float32 [${shape}] (B ${a.B}, T ${a.T}, C ${C}), got ${t ? `${t.dtype} [${t.shape}]` : "nothing"}`,
      );
  }
  if (C % a.nHead !== 0) throw new Error(`${BLOCK}: width ${C} is not divisible by nHead ${a.nHead}`);
  return C;
}

function call(
  b: WasmBackend,
  f: (heap: ArrayBuffer, offs: Uint32Array, dims: Int32Array, eps: number) => void,
  slots: TensorInfo[],
  a: BlockAttrs,
  C: number,
): void {
  // After every output is allocated: a later allocation could grow (and replace) the heap.
  const offs = Uint32Array.from(slots, (t) => heapOffset(b, t));
  f(b.wasm.HEAPU8.buffer as ArrayBuffer, offs, Int32Array.of(a.B, a.T, C, a.nHead), a.eps);
}

/**
 * The two kernels. Unless the pool's threads are pinned (src/backend/addon.ts), the backward (two
 * thirds of a block's time) is timed per shape and the threads follow a ThreadTuner between one
 * and the count the pool had when the kernels were made.
 */
export function blockKernelConfigs(addon: BlockAddon): KernelConfig[] {
  const tuners = new Map<string, ThreadTuner>();
  const all = addon.info().threads;
  function forward(args: Args): TensorInfo[] {
    const b = asWasm(args.backend);
    const a = args.attrs as unknown as BlockAttrs;
    const C = checkShapes(args.inputs, a);
    const y = b.makeOutput([a.B * a.T, C], "float32");
    const saved = savedShapes(a, C).map((s) => b.makeOutput(s, "float32"));
    const ins = [args.inputs.x, ...WEIGHTS.map((w) => args.inputs[w])];
    call(b, addon.blockForward, [...ins, y, ...saved], a, C);
    return [y, ...saved];
  }

  function backward(args: Args): TensorInfo[] {
    const b = asWasm(args.backend);
    const a = args.attrs as unknown as BlockAttrs;
    const C = checkShapes(args.inputs, a);
    const ins = [args.inputs.x, ...WEIGHTS.map((w) => args.inputs[w])];
    const saved = SAVED.map((s) => args.inputs[s]);
    const shapes = savedShapes(a, C);
    saved.forEach((t, i) => {
      if (!t || !util.arraysEqual(t.shape, shapes[i]))
        throw new Error(
          `${BLOCK_GRAD}: saved ${SAVED[i]} must be [${shapes[i]}], got ${t ? `[${t.shape}]` : "nothing"}`,
        );
    });
    const dy = args.inputs.dy;
    if (!dy || !util.arraysEqual(dy.shape, ins[0].shape))
      throw new Error(`${BLOCK_GRAD}: dy must be [${ins[0].shape}], got ${dy ? `[${dy.shape}]` : "nothing"}`);
    const grads = ins.map((t) => b.makeOutput(t.shape, "float32"));
    const key = `${a.B},${a.T},${C},${a.nHead}`;
    const tuner =
      all > 1 && !addon.info().pinned ? (tuners.get(key) ?? tuners.set(key, new ThreadTuner(all)).get(key)!) : null;
    const threads = tuner?.next() ?? 0;
    if (tuner) addon.tuneThreads(threads);
    const t0 = performance.now();
    call(b, addon.blockBackward, [dy, ...ins, ...saved, ...grads], a, C);
    if (tuner) {
      tuner.record(threads, performance.now() - t0);
      addon.tuneThreads(tuner.choice);
    }
    return grads;
  }

  return [
    { kernelName: BLOCK, backendName: "wasm", kernelFunc: forward as unknown as KernelFunc },
    { kernelName: BLOCK_GRAD, backendName: "wasm", kernelFunc: backward as unknown as KernelFunc },
  ];
}
