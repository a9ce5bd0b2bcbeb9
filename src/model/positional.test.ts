import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../backend";
import { sinusoidalTable, ropeTables, applyRope } from ".";

beforeAll(async () => {
  await initBackend();
});

test("sinusoidal table: PE[pos, 2i] = sin(pos/10000^(2i/d)), PE[pos, 2i+1] = cos(...)", () => {
  const d = 8;
  const pe = sinusoidalTable(4, d);
  expect(pe[0]).toBe(0); // sin 0
  expect(pe[1]).toBe(1); // cos 0
  expect(pe[1 * d + 0]).toBeCloseTo(Math.sin(1), 6);
  expect(pe[1 * d + 1]).toBeCloseTo(Math.cos(1), 6);
  expect(pe[3 * d + 2]).toBeCloseTo(Math.sin(3 / 10000 ** (2 / 8)), 6);
  expect(pe[3 * d + 7]).toBeCloseTo(Math.cos(3 / 10000 ** (6 / 8)), 6);
});

describe("RoPE", () => {
  const D = 8;
  const q = tf.tensor2d([[0.3, -1.2, 0.5, 2.0, -0.7, 0.1, 1.1, -0.4]]);
  const k = tf.tensor2d([[-0.9, 0.2, 1.4, -0.3, 0.6, -1.5, 0.8, 0.05]]);
  const rotatedAt = (x: tf.Tensor2D, pos: number): Float32Array => {
    const { cos, sin } = ropeTables(1, D, pos);
    return applyRope(x, tf.tensor2d(cos, [1, D]), tf.tensor2d(sin, [1, D])).dataSync() as Float32Array;
  };
  const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, v, i) => s + v * b[i], 0);

  test("q_m . k_n depends only on m - n (relative-position invariance)", () => {
    const base = dot(rotatedAt(q, 5), rotatedAt(k, 2));
    for (const shift of [1, 7, 30]) expect(dot(rotatedAt(q, 5 + shift), rotatedAt(k, 2 + shift))).toBeCloseTo(base, 4);
    // a different offset gives a different score, so the check is not vacuous
    expect(Math.abs(dot(rotatedAt(q, 6), rotatedAt(k, 2)) - base)).toBeGreaterThan(1e-3);
  });

  test("is a rotation: position 0 is the identity and norms are kept", () => {
    const q0 = rotatedAt(q, 0);
    const qd = q.dataSync();
    q0.forEach((v, i) => expect(v).toBeCloseTo(qd[i], 6));
    expect(Math.sqrt(dot(rotatedAt(q, 11), rotatedAt(q, 11)))).toBeCloseTo(Math.sqrt(dot(q0, q0)), 5);
  });

  test("rotates pair (x_i, x_{i+D/2}) by pos·10000^(-2i/D), worked for i = 1", () => {
    const pos = 3;
    const theta = pos * 10000 ** (-2 / D);
    const r = rotatedAt(q, pos);
    const [x1, x2] = [q.dataSync()[1], q.dataSync()[5]];
    expect(r[1]).toBeCloseTo(x1 * Math.cos(theta) - x2 * Math.sin(theta), 5);
    expect(r[5]).toBeCloseTo(x2 * Math.cos(theta) + x1 * Math.sin(theta), 5);
  });
});
