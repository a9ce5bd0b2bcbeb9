// The patched wasm kernels against the cpu backend (tfjs' reference implementation),
// their gradients against the cpu backend's and against central finite differences.
import { spawnSync } from "child_process";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "./index";
import { loadGemmAddon } from "./addon";
import { tanhf } from "./kernels/elementwise";
import { on, randn, worstDiff } from "./testing/compare";

const FAST = ["wasm-noaddon", ...(loadGemmAddon().addon ? ["wasm"] : [])];

const rand = (shape: number[], seed: number): Float32Array => randn(shape, seed);

function expectClose(got: Float32Array, want: Float32Array, tol: number): void {
  expect(worstDiff(got, want)).toBeLessThanOrEqual(tol);
}

// tfjs-core 4.22's BatchMatMul gradient does not reduce over broadcast batch dims (on any
// backend), so broadcast cases check values only.
const MATMUL_CASES: [string, number[], number[], boolean, boolean][] = [
  ["plain", [3, 4], [4, 5], false, false],
  ["transposeA", [4, 3], [4, 5], true, false],
  ["transposeB", [3, 4], [5, 4], false, true],
  ["batched, both transposed", [2, 4, 3], [2, 5, 4], true, true],
  ["batched a, shared b", [2, 3, 3, 4], [4, 5], false, false],
  ["shared a, batched b^T", [3, 4], [2, 5, 4], false, true],
  ["rows not a multiple of the micro-tile", [13, 37], [37, 19], false, false],
  // Per-batch small products: without the addon these run on native/simd's 4 x 8 SIMD GEMM.
  ["batched small, A^T, tiles and both edges", [3, 9, 13], [3, 9, 21], true, false],
  ["attention-shaped q k^T", [2, 2, 64, 32], [2, 2, 64, 32], false, true],
];

describe("BatchMatMul", () => {
  test.each(MATMUL_CASES)("%s: values and gradients match cpu", async (_name, sa, sb, ta, tb) => {
    const A = rand(sa, 1),
      B = rand(sb, 2);
    const f = () => {
      const a = tf.tensor(A, sa),
        b = tf.tensor(B, sb);
      const y = tf.matMul(a, b, ta, tb);
      if (sa.length !== sb.length) return [y];
      if (sa.slice(0, -2).join() !== sb.slice(0, -2).join()) return [y];
      const w = tf.tensor(rand(y.shape, 3), y.shape);
      const [ga, gb] = tf.grads((x: tf.Tensor, z: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, z, ta, tb), w)))([a, b]);
      return [y, ga, gb];
    };
    const ref = await on("cpu", f);
    for (const backend of FAST) (await on(backend, f)).forEach((got, i) => expectClose(got, ref[i], 1e-5));
  });

  test("general broadcasting of batch dims matches a plain-JS reference (tfjs' cpu kernel gets it wrong)", async () => {
    const [sa, sb] = [
      [2, 1, 3, 4],
      [1, 3, 4, 2],
    ];
    const A = rand(sa, 11),
      B = rand(sb, 12);
    const want = new Float32Array(2 * 3 * 3 * 2);
    for (let p = 0; p < 2; p++)
      for (let q = 0; q < 3; q++)
        for (let i = 0; i < 3; i++)
          for (let j = 0; j < 2; j++) {
            let s = 0;
            for (let k = 0; k < 4; k++) s += A[p * 12 + i * 4 + k] * B[q * 8 + k * 2 + j];
            want[((p * 3 + q) * 3 + i) * 2 + j] = s;
          }
    for (const backend of FAST)
      expectClose((await on(backend, () => [tf.matMul(tf.tensor(A, sa), tf.tensor(B, sb))]))[0], want, 1e-5);
  });

  test.each(FAST)("%s: gradient matches central finite differences", async (backend) => {
    await initBackend({ prefer: backend });
    const [sa, sb] = [
      [2, 4, 3],
      [2, 5, 4],
    ];
    const A = rand(sa, 4),
      B = tf.tensor(rand(sb, 5), sb),
      W = tf.tensor(rand([2, 3, 5], 6), [2, 3, 5]);
    const loss = (a: tf.Tensor) => tf.sum(tf.mul(tf.matMul(a, B, true, true), W));
    const g = tf.grad(loss)(tf.tensor(A, sa)).dataSync();
    const eps = 1e-2;
    for (const i of [0, 5, 11, 17, 23]) {
      const plus = A.slice(),
        minus = A.slice();
      plus[i] += eps;
      minus[i] -= eps;
      const fd = (loss(tf.tensor(plus, sa)).dataSync()[0] - loss(tf.tensor(minus, sa)).dataSync()[0]) / (2 * eps);
      expect(Math.abs(g[i] - fd)).toBeLessThan(2e-3);
    }
  });

  test("inner dimension mismatch is a clear error", async () => {
    await initBackend({ prefer: "wasm-noaddon" });
    expect(() => tf.matMul(tf.zeros([2, 3]), tf.zeros([4, 2]))).toThrow(/inner/);
  });
});

describe("UnsortedSegmentSum and tf.gather's gradient", () => {
  test("segment sums match cpu, out-of-range ids dropped", async () => {
    // Rows of 3 and of 11 (the kernel adds four columns at a time, then the rest one by one).
    for (const width of [3, 11]) {
      const X = rand([6, width], 7),
        ids = [2, 0, 2, -1, 4, 1];
      const f = () => [tf.unsortedSegmentSum(tf.tensor2d(X, [6, width]), tf.tensor1d(ids, "int32"), 4)];
      const ref = await on("cpu", f);
      for (const backend of FAST) expectClose((await on(backend, f))[0], ref[0], 1e-6);
    }
  });

  test("gather gradient matches cpu and the closed form (rows summed per index)", async () => {
    const idx = [3, 1, 3, 0, 3],
      W = rand([5, 2], 8);
    const f = () => [
      tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor1d(idx, "int32")), tf.tensor2d(W, [5, 2]))))(
        tf.zeros([4, 2]),
      ),
    ];
    const want = new Float32Array(8);
    idx.forEach((r, i) => {
      want[2 * r] += W[2 * i];
      want[2 * r + 1] += W[2 * i + 1];
    });
    expectClose((await on("cpu", f))[0], want, 1e-6);
    for (const backend of FAST) expectClose((await on(backend, f))[0], want, 1e-6);
  });
});

describe("GatherV2 (embedding rows by index)", () => {
  test("axis 0 of float32 and int32, indices of rank 1 and 2, and other axes (stock) match cpu", async () => {
    const X = rand([7, 3, 2], 21);
    const f = () => [
      tf.gather(tf.tensor3d(X, [7, 3, 2]), tf.tensor1d([6, 0, 3, 3, 1], "int32")),
      tf.gather(tf.tensor2d(X, [7, 6]), tf.tensor2d([2, 5, 0, 2], [2, 2], "int32")),
      tf.cast(tf.gather(tf.tensor1d([4, 8, 15, 16, 23], "int32"), tf.tensor1d([4, 4, 0], "int32")), "float32"),
      tf.gather(tf.tensor3d(X, [7, 3, 2]), tf.tensor1d([2, 0], "int32"), 1),
    ];
    const ref = await on("cpu", f);
    expect(Array.from(ref[2])).toEqual([23, 23, 4]);
    for (const backend of FAST) {
      const got = await on(backend, f);
      for (let i = 0; i < ref.length; i++) expectClose(got[i], ref[i], 0);
    }
  });

  test("an index out of range is an error naming it", async () => {
    await initBackend({ prefer: "wasm-noaddon" });
    expect(() => tf.gather(tf.zeros([3, 2]), tf.tensor1d([0, 3], "int32"))).toThrow(/index 3 at position 1/);
  });
});

describe("elementwise and reduction kernels", () => {
  test("Sum over every axis set matches cpu (contiguous ones fused, others stock)", async () => {
    const X = rand([2, 3, 4, 5], 9);
    const axes: (number | number[])[] = [0, 1, 3, -1, [0, 1], [1, 2], [2, 3], [0, 2], [0, 1, 2, 3]];
    const f = () =>
      axes.flatMap((ax) => [tf.sum(tf.tensor(X, [2, 3, 4, 5]), ax), tf.sum(tf.tensor(X, [2, 3, 4, 5]), ax, true)]);
    const ref = await on("cpu", f);
    const got = await on("wasm-noaddon", f);
    got.forEach((g, i) => expectClose(g, ref[i], 1e-6));
  });

  test("Pow by scalar exponents and broadcast exponents, with gradients, match cpu", async () => {
    const X = Float32Array.from(rand([4, 5], 10), (x) => Math.abs(x) + 0.1);
    const f = () => {
      const x = tf.tensor2d(X, [4, 5]);
      const outs = [2, 3, 0.5, 1.7, 1].map((e) => tf.pow(x, e));
      outs.push(tf.pow(x, tf.tensor1d([1, 2, 3, 0.5, 2])));
      outs.push(tf.grad((t: tf.Tensor) => tf.sum(tf.pow(t, 3)))(x));
      return outs;
    };
    const ref = await on("cpu", f);
    (await on("wasm-noaddon", f)).forEach((g, i) => expectClose(g, ref[i], 1e-6));
  });

  test("tanh: the rational approximation is within 3e-7 of Math.tanh, and its gradient is 1 - tanh^2", async () => {
    let worst = 0;
    for (let v = -12; v <= 12; v += 0.0007) worst = Math.max(worst, Math.abs(Math.fround(tanhf(v)) - Math.tanh(v)));
    expect(worst).toBeLessThan(3e-7);
    const X = Float32Array.from({ length: 101 }, (_, i) => (i - 50) / 7);
    const [y, g] = await on("wasm-noaddon", () => {
      const x = tf.tensor1d(X);
      return [tf.tanh(x), tf.grad((t: tf.Tensor) => tf.sum(tf.tanh(t)))(x)];
    });
    X.forEach((x, i) => {
      expect(Math.abs(y[i] - Math.tanh(x))).toBeLessThan(3e-7);
      expect(Math.abs(g[i] - (1 - Math.tanh(x) ** 2))).toBeLessThan(1e-6);
    });
  });

  test("SplitV into equal and unequal pieces along every axis matches cpu", async () => {
    const X = rand([4, 6, 3], 13);
    const f = () => [
      ...tf.split(tf.tensor3d(X, [4, 6, 3]), 3, 1),
      ...tf.split(tf.tensor3d(X, [4, 6, 3]), [1, 3], 0),
      ...tf.split(tf.tensor3d(X, [4, 6, 3]), [2, -1], 2),
    ];
    const ref = await on("cpu", f);
    (await on("wasm-noaddon", f)).forEach((g, i) => expectClose(g, ref[i], 0));
  });

  test("Identity and same-dtype Cast share the buffer, which outlives the original tensor", async () => {
    await initBackend({ prefer: "wasm-noaddon" });
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.clone(x),
      z = tf.cast(x, "float32"),
      i = tf.cast(x, "int32");
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(z.dataSync())).toEqual([1, 2, 3]);
    expect(i.dtype).toBe("int32");
    tf.dispose([y, z, i]);
  });
});

describe("native GEMM addon", () => {
  const { addon, reason } = loadGemmAddon();
  (addon ? test : test.skip)(
    "2 and 3 threads (rows split, columns split, batches split) give the 1-thread result, which matches plain JS",
    () => {
      // m > n splits rows, n > m columns (in 16-wide panels, ragged at the end, and n > 128 in
      // two column blocks), with B stored transposed or not; > 4 MFLOP per call, so threads are
      // really used. m = 299: A^T's rows 1.2 KB apart, whose row tiles (the last one 5 rows) are
      // copied out before the product.
      for (const [batches, m, n, k, threads, tb] of [
        [1, 97, 83, 301, 2, true],
        [3, 97, 83, 301, 2, true],
        [1, 41, 150, 301, 2, true],
        [1, 41, 150, 301, 3, true],
        [1, 97, 83, 301, 2, false],
        [1, 41, 150, 301, 3, false],
        [1, 299, 40, 301, 2, true],
        [1, 299, 40, 301, 1, false],
      ] as const) {
        const A = rand([batches, k, m], 20),
          B = rand([batches, n, k], 21); // A used transposed; B is [n, k] when tb, else [k, n]
        const heap = new ArrayBuffer(4 * (A.length + B.length + 2 * batches * m * n));
        new Float32Array(heap, 0, A.length).set(A);
        new Float32Array(heap, 4 * A.length, B.length).set(B);
        const aOffs = Uint32Array.from({ length: batches }, (_, i) => 4 * i * k * m);
        const bOffs = Uint32Array.from({ length: batches }, (_, i) => 4 * (A.length + i * n * k));
        const c1 = 4 * (A.length + B.length),
          c2 = c1 + 4 * batches * m * n;
        addon!.setThreads(1);
        addon!.sgemm(heap, aOffs, bOffs, c1, m, n, k, true, tb);
        addon!.setThreads(threads);
        addon!.sgemm(heap, aOffs, bOffs, c2, m, n, k, true, tb);
        addon!.setThreads(1);
        const one = new Float32Array(heap, c1, batches * m * n),
          two = new Float32Array(heap, c2, batches * m * n);
        expect(Array.from(two)).toEqual(Array.from(one));
        const want = new Float32Array(batches * m * n);
        for (let q = 0; q < batches; q++)
          for (let i = 0; i < m; i++)
            for (let j = 0; j < n; j++) {
              let acc = 0;
              for (let p = 0; p < k; p++)
                acc += A[q * k * m + p * m + i] * (tb ? B[q * n * k + j * k + p] : B[q * n * k + p * n + j]);
              want[(q * m + i) * n + j] = acc;
            }
        expectClose(one, want, 1e-4); // float32 sums of 301 products against float64
      }
    },
  );

  (addon ? test : test.skip)(
    "the pool is persistent: repeated 3-thread products start 2 workers once, and agree with 1 thread",
    () => {
      // The pool belongs to the process (one per Node environment) and never shrinks: another test
      // file in this jest worker may already have started more workers than this one needs.
      const before = addon!.info().poolWorkers;
      const [m, n, k, batches] = [64, 64, 300, 5]; // 6 MFLOP: split by batches
      const heap = new ArrayBuffer(4 * (2 * batches * m * k + 2 * batches * m * n));
      new Float32Array(heap, 0, 2 * batches * m * k).set(rand([2 * batches * m * k], 22));
      const aOffs = Uint32Array.from({ length: batches }, (_, i) => 4 * i * m * k);
      const bOffs = Uint32Array.from({ length: batches }, (_, i) => 4 * (batches + i) * m * k);
      const c1 = 4 * 2 * batches * m * k,
        c3 = c1 + 4 * batches * m * n;
      addon!.setThreads(1);
      addon!.sgemm(heap, aOffs, bOffs, c1, m, n, k, false, false);
      addon!.setThreads(3);
      for (let r = 0; r < 20; r++) addon!.sgemm(heap, aOffs, bOffs, c3, m, n, k, false, false);
      expect(addon!.info().poolWorkers).toBe(Math.max(before, 2));
      addon!.setThreads(1);
      expect(Array.from(new Float32Array(heap, c3, batches * m * n))).toEqual(
        Array.from(new Float32Array(heap, c1, batches * m * n)),
      );
    },
  );

  (addon ? test : test.skip)("a process whose pool has started still exits on its own", () => {
    // The workers spin briefly, then block on a condition variable, and are joined when Node tears the
    // environment down; a leaked joinable thread would abort or hang the exit.
    const file = require.resolve("../../build/Release/llmlab_gemm.node");
    const script = `const a = require(${JSON.stringify(file)}); a.setThreads(2); const n = 256; const h = new ArrayBuffer(12 * n * n);
      a.sgemm(h, Uint32Array.of(0), Uint32Array.of(4 * n * n), 8 * n * n, n, n, n, false, false); console.log(a.info().poolWorkers);`;
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 30_000 });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe("1");
  });

  (addon ? test : test.skip)(`rejects offsets outside the heap (${reason})`, () => {
    const heap = new ArrayBuffer(64);
    expect(() => addon!.sgemm(heap, Uint32Array.of(0), Uint32Array.of(0), 60, 2, 2, 2, false, false)).toThrow(
      /out of the heap/,
    );
    expect(() => addon!.sgemm(heap, Uint32Array.of(2), Uint32Array.of(0), 32, 2, 2, 2, false, false)).toThrow(
      /misaligned/,
    );
  });
});
