// Shared helpers for the quant tests: a seeded generator and correlated calibration data.
import { Matrix, matrix } from "./matrix";

/** mulberry32: small, seeded, good enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(r: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

export function randomMatrix(rows: number, cols: number, seed: number, std = 1): Matrix {
  const g = gaussian(rng(seed));
  return matrix(rows, cols, Float32Array.from({ length: rows * cols }, () => g() * std));
}

/**
 * Inputs whose features are strongly correlated (a few latent factors mixed in, plus
 * feature scales spread over two orders of magnitude), as real activations are: this is
 * where GPTQ's error feedback pays off over rounding each weight on its own.
 */
export function correlatedInputs(tokens: number, features: number, seed: number, factors = 4): Matrix {
  const g = gaussian(rng(seed));
  const mix = Array.from({ length: factors * features }, g);
  const scale = Array.from({ length: features }, (_, i) => 10 ** (-1 + (2 * i) / features));
  const X = matrix(tokens, features);
  for (let t = 0; t < tokens; t++) {
    const z = Array.from({ length: factors }, g);
    for (let i = 0; i < features; i++) {
      let v = 0.3 * g();
      for (let f = 0; f < factors; f++) v += z[f] * mix[f * features + i];
      X.data[t * features + i] = v * scale[i];
    }
  }
  return X;
}
