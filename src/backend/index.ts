// llmlab's tensor backend: one switch that picks the fastest tfjs backend this machine
// can run, and a fused AdamW for the trainer.
//
//   const choice = await initBackend();        // or initBackend({prefer: "cpu"})
//   console.log(device());                     // what was chosen and why the rest were not
//   const opt = createAdamW({lr: 1e-3, beta2: 0.99, weightDecay: 0.1});
//   const {value, grads} = tf.variableGrads(lossFn, varList);
//   opt.step(grads, varsByName, lr);           // one fused kernel per parameter
//   const saved = opt.exportState();           // {step, m, v} as Float32Arrays, for checkpoints
//
// fused.layerNorm / gelu / causalSoftmax / softmaxCrossEntropy are one kernel each way on
// the fast wasm backend (SIMD kernels from native/simd, built by `npm run build`) and the
// textbook tfjs ops everywhere else; src/model builds the GPT from them. fusedBlock is a whole
// transformer block as one native call each way (with the addon; LLMLAB_FUSED=0 turns it off).
//
// tf.variableGrads keys gradients by variable name, so step() takes the variables keyed
// the same way. Weight decay applies to rank >= 2 variables unless `decay` says otherwise.
//
// The chain, fastest first: 'node-gpu' (tfjs-node-gpu, CUDA), 'node' (tfjs-node,
// libtensorflow), 'webgpu' (npm 'webgpu' + tfjs-backend-webgpu, a real adapter only),
// 'wasm' (tfjs-backend-wasm with our kernels and, if built, the native GEMM addon), 'cpu'.
// 'wasm-noaddon' (our kernels, XNNPACK matmul) and 'wasm-stock' (tfjs-backend-wasm's own
// kernels plus our UnsortedSegmentSum, without which tf.gather cannot train) are only used
// when asked for, e.g. by bench/train. The env var LLMLAB_BACKEND forces one (it wins over
// `prefer`; a forced backend that fails is an error, not a fallback); LLMLAB_THREADS sets
// the native GEMM's threads (default: all cores, a persistent pool; 1 keeps it on the caller).
//
// Importing this module also registers tfjs' gradient functions (see below): training
// code needs nothing else from tfjs than @tensorflow/tfjs-core.
import * as tf from "@tensorflow/tfjs-core";
// tfjs-core's node bundle ships no gradient functions (they live in its ESM-only
// register_all_gradients); tfjs-layers' bundle registers all of them, for every backend.
import "@tensorflow/tfjs-layers";
import { choose, type BackendChoice, type Candidate } from "./chooser";
import { defaultCandidates } from "./candidates";

export type { BackendChoice, Candidate, Skipped, Loaded } from "./chooser";
export * as fused from "./fused";
export { createAdamW, type AdamW, type AdamWOptions, type AdamWState } from "./adamw";
export { fusedBlock, fusedBlockAvailable, type BlockWeights } from "./block";

export interface InitOptions {
  /** A backend name to force: node-gpu, node, webgpu, wasm, cpu, wasm-noaddon, wasm-stock. */
  prefer?: string;
  /** Threads for the native GEMM (default: LLMLAB_THREADS or all cores). */
  threads?: number;
  /** Replaces the built-in chain (tests inject failing candidates). */
  candidates?: Candidate[];
}

let current: BackendChoice | null = null;

function threadsFromEnv(): number | undefined {
  const s = process.env.LLMLAB_THREADS;
  if (s === undefined || s === "") return undefined;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) throw new Error(`LLMLAB_THREADS must be a positive integer, got '${s}'`);
  return n;
}

/** Picks, loads and activates a backend; see the chain above. Call once before building models. */
export async function initBackend(opts: InitOptions = {}): Promise<BackendChoice> {
  const threads = opts.threads ?? threadsFromEnv();
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new Error(`initBackend: threads must be a positive integer, got ${threads}`);
  }
  const env = process.env.LLMLAB_BACKEND?.trim();
  const prefer = env || opts.prefer;
  current = await choose(opts.candidates ?? defaultCandidates({ threads }), prefer);
  if (env) current.reason = `forced by LLMLAB_BACKEND=${env}`;
  return current;
}

export interface DeviceInfo extends BackendChoice {
  /** One line for banners: "wasm (wasm SIMD, matmul: ...); skipped node-gpu: ..., ...". */
  summary: string;
}

/** What initBackend() chose, or, before it ran, whatever tfjs is using. */
export function device(): DeviceInfo {
  const c: BackendChoice = current ?? {
    name: tf.getBackend() ?? "none",
    tfBackend: tf.getBackend() ?? "none",
    detail: "tfjs default",
    reason: "initBackend() has not been called",
    skipped: [],
  };
  const skipped = c.skipped.length ? `; skipped ${c.skipped.map((s) => `${s.name}: ${s.reason}`).join("; ")}` : "";
  return { ...c, summary: `${c.name} (${c.detail}), ${c.reason}${skipped}` };
}
