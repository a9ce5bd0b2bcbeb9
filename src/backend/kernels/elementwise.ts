// Elementwise kernels that tfjs-backend-wasm 4.22.0 runs slowly: Pow goes through a
// generic broadcasting path and std::pow (x^3 in GELU cost 23 ns per element), Tanh
// through scalar libm (33 ns). Here: Pow by a scalar exponent as multiplications, Tanh
// as Eigen's rational approximation (the one TensorFlow and XNNPACK use for float32;
// within 2.4e-7 of Math.tanh, checked in the tests). Other cases go to the stock kernel.
import type { KernelConfig } from "@tensorflow/tfjs-core";
import { asWasm } from "../wasm_heap";
import { overStock } from "./stock";

/** tanh(x) for float32 by a [13/6] rational approximation on [-7.9053, 7.9053] (Eigen). */
export function tanhf(v: number): number {
  if (Math.abs(v) < 0.0004) return v;
  const x = v > 7.90531110763549805 ? 7.90531110763549805 : v < -7.90531110763549805 ? -7.90531110763549805 : v;
  const x2 = x * x;
  let p = x2 * -2.76076847742355e-16 + 2.00018790482477e-13;
  p = x2 * p + -8.60467152213735e-11;
  p = x2 * p + 5.12229709037114e-8;
  p = x2 * p + 1.48572235717979e-5;
  p = x2 * p + 6.37261928875436e-4;
  p = x2 * p + 4.89352455891786e-3;
  let q = x2 * 1.19825839466702e-6 + 1.18534705686654e-4;
  q = x2 * q + 2.268434632439e-3;
  q = x2 * q + 4.89352518554385e-3;
  return (x * p) / q;
}

export function tanhConfig(stock: KernelConfig): KernelConfig {
  return overStock(stock, (args) => {
    const { x } = args.inputs;
    if (x.dtype !== "float32") return null;
    const backend = asWasm(args.backend);
    const out = backend.makeOutput(x.shape, "float32");
    const xs = backend.typedArrayFromHeap(x),
      o = backend.typedArrayFromHeap(out);
    for (let i = 0; i < o.length; i++) o[i] = tanhf(xs[i]);
    return out;
  });
}

export function powConfig(stock: KernelConfig): KernelConfig {
  return overStock(stock, (args) => {
    const { a, b } = args.inputs;
    const scalarExp = b.shape.reduce((p, d) => p * d, 1) === 1 && b.shape.length <= a.shape.length;
    if (a.dtype !== "float32" || b.dtype !== "float32" || !scalarExp) {
      return null;
    }
    const backend = asWasm(args.backend);
    const shape = b.shape.length === a.shape.length ? a.shape.map((d, i) => Math.max(d, b.shape[i])) : a.shape;
    const out = backend.makeOutput(shape, "float32");
    const xs = backend.typedArrayFromHeap(a),
      o = backend.typedArrayFromHeap(out);
    const e = backend.typedArrayFromHeap(b)[0];
    if (e === 2) for (let i = 0; i < o.length; i++) o[i] = xs[i] * xs[i];
    else if (e === 3) for (let i = 0; i < o.length; i++) o[i] = xs[i] * xs[i] * xs[i];
    else if (e === 1) o.set(xs);
    else if (e === 0.5) for (let i = 0; i < o.length; i++) o[i] = Math.sqrt(xs[i]);
    else for (let i = 0; i < o.length; i++) o[i] = Math.pow(xs[i], e);
    return out;
  });
}
