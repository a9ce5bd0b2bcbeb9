// Helpers for tests that run the same computation on two backends and compare.
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../index";
import { gaussian, mulberry32 } from "../../model/rng";

/** Seeded N(0, scale^2) values for a tensor of `shape`. */
export function randn(shape: number[], seed: number, scale = 1): Float32Array {
  const r = gaussian(mulberry32(seed));
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r() * scale);
}

/** Runs f on a backend with fresh inputs built there; returns plain arrays. */
export async function on(backend: string, f: () => tf.Tensor[]): Promise<Float32Array[]> {
  await initBackend({ prefer: backend });
  const outs = tf.tidy(f);
  const data = outs.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(outs);
  return data;
}

/** Largest |got - want| / max(1, |want|). */
export function worstDiff(got: Float32Array, want: Float32Array): number {
  if (got.length !== want.length) throw new Error(`worstDiff: ${got.length} values against ${want.length}`);
  let worst = 0;
  for (let i = 0; i < got.length; i++)
    worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])));
  return worst;
}
