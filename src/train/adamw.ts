// AdamW (Loshchilov & Hutter 2019) lives in src/backend, where it is one fused kernel call per
// parameter on the cpu and wasm backends (and the same formula as tfjs ops elsewhere). The
// trainer uses it as is; this module only names it for src/train's callers.
export { createAdamW, type AdamWOptions, type AdamWState, type AdamW as Optimizer } from "../backend";
