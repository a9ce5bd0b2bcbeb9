// Seeded random matrices for the quantisers' tests and notebook 06: weight-like matrices and
// correlated activations, standing in for a real layer where no model is at hand. (Not
// src/synthetic, which generates synthetic training text.)
import { Matrix, matrix } from "./matrix";
import { gaussian, mulberry32 } from "../model/rng";

/** Seeded standard normals (mulberry32 + Box-Muller). */
const normals = (seed: number): (() => number) => gaussian(mulberry32(seed));

export function randomMatrix(rows: number, cols: number, seed: number, std = 1): Matrix {
  const g = normals(seed);
  return matrix(
    rows,
    cols,
    Float32Array.from({ length: rows * cols }, () => g() * std),
  );
}

/**
 * Inputs whose features are strongly correlated (a few latent factors mixed in, plus
 * feature scales spread over two orders of magnitude), as real activations are: this is
 * where GPTQ's error feedback pays off over rounding each weight on its own.
 */
export function correlatedInputs(tokens: number, features: number, seed: number, factors = 4): Matrix {
  const g = normals(seed);
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

/**
 * A weight-like matrix [rows, cols]: heavy-tailed entries (Student-t with 4 degrees of
 * freedom, as trained weights are more peaked with longer tails than a Gaussian) and a few
 * input columns with 5x larger weights (the outlier features of LLM.int8()).
 */
export function weightLikeMatrix(rows: number, cols: number, seed: number, std = 0.02): Matrix {
  const g = normals(seed);
  const outlier = new Set(
    Array.from({ length: Math.max(1, Math.floor(cols / 64)) }, (_, i) => (i * 7919 + seed) % cols),
  );
  const W = matrix(rows, cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let chi = 0;
      for (let k = 0; k < 4; k++) chi += g() ** 2;
      const t = g() / Math.sqrt(chi / 4); // Student-t, 4 dof (variance 2)
      W.data[r * cols + c] = t * (std / Math.SQRT2) * (outlier.has(c) ? 5 : 1);
    }
  }
  return W;
}
