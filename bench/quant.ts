// bench:quant — the CPU side of GGML: a matrix-vector product (one token through a linear
// layer) over float32 weights vs Q8_0 and Q4_0 blocks, in one run, at two sizes. Ratios are
// against the float32 product measured in the same run. `--json` prints one JSON object.
import { gemvBlocks, gemvF32, toBlockMatrix } from "../src/quant/dot";
import { diffNorm, norm } from "../src/quant/matrix";

interface Row {
  size: string;
  format: string;
  weightBytes: number;
  msPerGemv: number;
  gflops: number;
  weightGBps: number;
  speedupVsF32: number;
  relError: number;
}

function timeIt(fn: () => void, minMs = 300): number {
  fn(); // warm-up (JIT)
  const times: number[] = [];
  const start = performance.now();
  while (performance.now() - start < minMs || times.length < 5) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]; // median
}

function main(): void {
  const json = process.argv.includes("--json");
  const sizes: [number, number][] = [
    [768, 768],
    [3072, 768], // a GPT-2 small MLP up-projection, W [out, in]
    [4096, 4096], // 64 MB in f32: past the caches, where reading fewer bytes pays
  ];
  let seed = 1;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.2;
  const rows: Row[] = [];
  for (const [R, C] of sizes) {
    const W = Float32Array.from({ length: R * C }, rnd);
    const x = Float32Array.from({ length: C }, rnd);
    const exact = gemvF32(W, R, C, x);
    const ref = norm(exact);
    const y = new Float32Array(R);
    const formats: { name: string; bytes: number; run: () => void }[] = [];
    formats.push({ name: "f32", bytes: W.byteLength, run: () => gemvF32(W, R, C, x, y) });
    for (const type of ["q8_0", "q4_0"] as const) {
      const Wq = toBlockMatrix(type, R, C, W);
      formats.push({ name: type, bytes: Wq.bytes.length, run: () => gemvBlocks(Wq, x, y) });
    }
    let f32ms = 0;
    for (const f of formats) {
      const ms = timeIt(f.run);
      f.run();
      const err = diffNorm(y, exact) / ref;
      if (f.name === "f32") f32ms = ms;
      rows.push({
        size: `${R}x${C}`,
        format: f.name,
        weightBytes: f.bytes,
        msPerGemv: +ms.toFixed(4),
        gflops: +((2 * R * C) / ms / 1e6).toFixed(3),
        weightGBps: +(f.bytes / ms / 1e6).toFixed(3),
        speedupVsF32: +(f32ms / ms).toFixed(3),
        relError: +err.toExponential(3),
      });
    }
  }
  const result = {
    bench: "quant",
    node: process.version,
    baseline: "f32 gemv (dequantised weights) in the same run",
    rows,
  };
  if (json) {
    console.log(JSON.stringify(result));
    return;
  }
  console.log(`bench:quant  y = W x, weights f32 vs GGML blocks (x quantised to Q8_0 for the block kernels)`);
  console.log("size        format  bytes       ms/gemv   GFLOP/s  GB/s    vs f32  rel.err");
  for (const r of rows) {
    console.log(
      `${r.size.padEnd(11)} ${r.format.padEnd(7)} ${String(r.weightBytes).padEnd(11)} ${r.msPerGemv.toFixed(3).padStart(8)}  ${r.gflops.toFixed(2).padStart(7)}  ${r.weightGBps.toFixed(2).padStart(6)}  ${r.speedupVsF32.toFixed(2).padStart(5)}x  ${r.relError.toExponential(1)}`,
    );
  }
}

main();
