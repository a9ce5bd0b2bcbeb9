// A numeric self-check run on a freshly loaded backend before it is trusted: a batched,
// transposed matmul and a softmax against the same maths in plain JS, and the gradient
// of tf.gather (an unsorted segment sum) against its closed form.
import * as tf from "@tensorflow/tfjs-core";

function fill(n: number, f: (i: number) => number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => f(i));
}

export async function selfCheck(tol = 1e-3): Promise<void> {
  const [B, M, K, N] = [2, 5, 7, 3];
  const a = fill(B * K * M, (i) => Math.sin(i)); // stored [B, K, M]: used transposed
  const b = fill(B * N * K, (i) => Math.cos(0.3 * i)); // stored [B, N, K]: used transposed
  const ref = new Float32Array(B * M * N);
  for (let q = 0; q < B; q++)
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let p = 0; p < K; p++) s += a[q * K * M + p * M + i] * b[q * N * K + j * K + p];
        ref[q * M * N + i * N + j] = s;
      }
  const soft = new Float32Array(ref.length);
  for (let r = 0; r < B * M; r++) {
    const row = ref.subarray(r * N, r * N + N),
      mx = Math.max(...row);
    const e = Array.from(row, (x) => Math.exp(x - mx)),
      z = e.reduce((p, x) => p + x, 0);
    e.forEach((x, j) => (soft[r * N + j] = x / z));
  }
  const [got, gatherGrad] = tf.tidy(() => {
    const y = tf.softmax(tf.matMul(tf.tensor3d(a, [B, K, M]), tf.tensor3d(b, [B, N, K]), true, true));
    const idx = tf.tensor1d([0, 2, 2, 1, 0], "int32");
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.gather(t, idx)))(tf.zeros([4, 2]));
    return [y, g];
  });
  const y = await got.data(),
    g = await gatherGrad.data();
  got.dispose();
  gatherGrad.dispose();
  let err = 0;
  for (let i = 0; i < soft.length; i++) err = Math.max(err, Math.abs(y[i] - soft[i]));
  if (!(err <= tol)) throw new Error(`self-check failed: softmax(matmul) differs from the reference by ${err}`);
  const counts = [2, 1, 2, 0]; // how often each row of the [4, 2] input was gathered
  for (let i = 0; i < 8; i++) {
    if (Math.abs(g[i] - counts[i >> 1]) > tol)
      throw new Error(`self-check failed: gather gradient ${g[i]} != ${counts[i >> 1]}`);
  }
}
