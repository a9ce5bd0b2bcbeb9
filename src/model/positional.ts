// Positional encodings: the fixed sinusoids of "Attention Is All You Need" (Vaswani et
// al. 2017, section 3.5) and rotary embeddings (RoPE, Su et al. 2021). Learned positions
// are just an embedding table and live in gpt.ts.
import * as tf from "@tensorflow/tfjs-core";

/** PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(same). Shape [T, d]. */
export function sinusoidalTable(T: number, d: number): Float32Array {
  const out = new Float32Array(T * d);
  for (let pos = 0; pos < T; pos++) {
    for (let i = 0; i < d / 2; i++) {
      const angle = pos / Math.pow(10000, (2 * i) / d);
      out[pos * d + 2 * i] = Math.sin(angle);
      out[pos * d + 2 * i + 1] = Math.cos(angle);
    }
  }
  return out;
}

/**
 * RoPE tables for head size D: cos and sin of pos * theta_i with theta_i = 10000^(-2i/D),
 * laid out [T, D] as two halves (the GPT-NeoX / LLaMA "rotate half" convention: dimension
 * i is paired with i + D/2).
 */
export function ropeTables(T: number, D: number, offset = 0): { cos: Float32Array; sin: Float32Array } {
  const cos = new Float32Array(T * D);
  const sin = new Float32Array(T * D);
  const half = D / 2;
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < half; i++) {
      const angle = (t + offset) * Math.pow(10000, (-2 * i) / D);
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      cos[t * D + i] = cos[t * D + i + half] = c;
      sin[t * D + i] = sin[t * D + i + half] = s;
    }
  }
  return { cos, sin };
}

/**
 * Rotates each pair (x_i, x_{i+D/2}) of x [..., T, D] by the angle of its position:
 * x*cos + rotateHalf(x)*sin. Then q_m . k_n depends on m - n only, which is the point.
 */
export function applyRope(x: tf.Tensor, cos: tf.Tensor2D, sin: tf.Tensor2D): tf.Tensor {
  return tf.tidy(() => {
    const D = x.shape[x.rank - 1];
    const [x1, x2] = tf.split(x, [D / 2, D / 2], -1);
    const rotated = tf.concat([tf.neg(x2), x1], -1);
    return tf.add(tf.mul(x, cos), tf.mul(rotated, sin));
  });
}
