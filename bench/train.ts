// bench:train: nanoGPT's baby-GPT training step (vocab 65, block 64, batch 12, 4 layers,
// 4 heads, n_embd 128, AdamW) on every backend that loads here, in one run: the wasm
// variants interleaved step by step in one child process, every other backend in its own.
// Prints tokens/s, ms/step, achieved matmul GFLOP/s, MFU against a GEMM peak measured in
// the same run, and the ratio to stock wasm (tfjs as shipped: stock kernels, AdamW as
// ops), by wall time and by CPU time (steadier on a shared machine). `--json`: one object.
//   npm run bench:train -- [--json] [--steps 10] [--backends wasm,wasm-stock,...]
import { spawnSync } from "child_process";
import * as os from "os";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../src/backend";
import { loadGemmAddon } from "../src/backend/addon";
import { BABY_GPT, matmulFlopsPerStep } from "../src/backend/testing/gpt";
import { BATCH, median, newRun, step, tokens, type Run } from "./baby_gpt";
const PYTORCH_TOKENS_PER_SEC = 8400; // nanoGPT, PyTorch 1.13 (Debian python3-torch), this machine class (issue 4)
const ALL = ["node-gpu", "node", "webgpu", "wasm-stock", "wasm-noaddon", "wasm", "cpu"];

interface Args { json: boolean; steps: number; backends: string[]; child?: string; peak: boolean }

function parseArgs(argv: string[]): Args {
  const a: Args = { json: false, steps: 10, backends: ALL, peak: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === "--json") a.json = true;
    else if (k === "--steps") a.steps = Number(argv[++i]);
    else if (k === "--backends") a.backends = String(argv[++i]).split(",");
    else if (k === "--child") a.child = argv[++i];
    else if (k === "--peak") a.peak = true;
    else throw new Error(`bench:train: unknown argument '${k}' (expected --json, --steps N, --backends a,b)`);
  }
  if (!(Number.isInteger(a.steps) && a.steps >= 1)) throw new Error(`bench:train: --steps must be a positive integer`);
  return a;
}

interface Result {
  backend: string;
  detail?: string;
  skipped?: string;
  steps?: number;
  msPerStep?: number;
  tokensPerSec?: number;
  /** The same from CPU time rather than wall time: steadier on a shared machine. */
  cpuMsPerStep?: number;
  tokensPerCpuSec?: number;
  ratioToStockWasmCpu?: number;
  matmulGflops?: number;
  /** Matmul GFLOP per CPU-second of the step / one core's GEMM peak (both by CPU time). */
  mfu?: number;
  matmulGflopsCpu?: number;
  ratioToStockWasm?: number;
  ratioToPytorch?: number;
  losses?: number[];
}

/** Steps per backend: the slow ones get fewer so a run stays around a minute. */
function stepsFor(backend: string, steps: number): { warmup: number; timed: number } {
  if (backend === "cpu") return { warmup: 1, timed: Math.max(1, Math.ceil(steps / 5)) };
  return { warmup: 2, timed: steps };
}

/**
 * Runs the given backends in one process, round-robin one step at a time, so that the
 * load of a shared machine falls on all of them alike. This works for the wasm variants
 * (one wasm backend, kernels swapped between steps); other backends get a process each.
 */
async function child(backends: string[], steps: number): Promise<Result[]> {
  const runs: Run[] = [], out: Result[] = [];
  for (const backend of backends) {
    try {
      // The baseline is tfjs as shipped: stock kernels and AdamW as ~14 tfjs ops per parameter.
      const stock = backend === "wasm-stock";
      const detail = (await initBackend({ prefer: backend })).detail + (stock ? "; AdamW as tfjs ops" : "; fused AdamW");
      runs.push(newRun(backend, detail, !stock));
    } catch (e) {
      out.push({ backend, skipped: (e as Error).message });
    }
  }
  const data = tokens().ids;
  const { warmup, timed } = stepsFor(backends[0], steps);
  for (let s = 0; s < warmup + timed; s++) {
    for (const r of runs) {
      if (runs.length > 1) await initBackend({ prefer: r.backend });
      await step(r, data);
    }
  }
  const flops = matmulFlopsPerStep(BABY_GPT, BATCH);
  for (const r of runs) {
    const ms = median(r.ms.slice(warmup)), cpu = median(r.cpuMs.slice(warmup));
    out.push({ backend: r.backend, detail: r.detail, steps: timed, msPerStep: ms, tokensPerSec: (BATCH * BABY_GPT.blockSize) / (ms / 1000),
      cpuMsPerStep: cpu, tokensPerCpuSec: (BATCH * BABY_GPT.blockSize) / (cpu / 1000), matmulGflopsCpu: flops / (cpu / 1000) / 1e9,
      matmulGflops: flops / (ms / 1000) / 1e9, losses: r.losses });
  }
  return out;
}

/**
 * One core's GEMM peak (512^3, single-threaded, per CPU-second so that other load on a
 * shared machine does not deflate it): the best of the native kernel and XNNPACK in wasm.
 * All backends here run single-threaded, so their MFU is measured against one core.
 * The native kernel on all cores (wall time) is shown for reference.
 */
async function peak(): Promise<{ gflops: number; by: Record<string, number> }> {
  const n = 512, reps = 8, flops = 2 * n ** 3 * reps, by: Record<string, number> = {};
  const cpuSeconds = (f: () => void) => {
    f();
    const c0 = process.cpuUsage();
    for (let r = 0; r < reps; r++) f();
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1e6;
  };
  const { addon } = loadGemmAddon();
  if (addon) {
    const buf = new ArrayBuffer(4 * 3 * n * n);
    const gemm = () => addon.sgemm(buf, Uint32Array.of(0), Uint32Array.of(4 * n * n), 8 * n * n, n, n, n, false, false);
    addon.setThreads(1);
    by["native, 1 core"] = flops / cpuSeconds(gemm) / 1e9;
    addon.setThreads(os.cpus().length);
    gemm();
    const t = performance.now();
    for (let r = 0; r < reps; r++) gemm();
    by[`native, ${os.cpus().length} threads (wall)`] = flops / ((performance.now() - t) / 1000) / 1e9;
    addon.setThreads(1);
  }
  await initBackend({ prefer: "wasm-noaddon" });
  const a = tf.randomNormal([n, n]), b = tf.randomNormal([n, n]);
  by["XNNPACK wasm, 1 core"] = flops / cpuSeconds(() => tf.matMul(a, b).dataSync()) / 1e9;
  return { gflops: Math.max(by["native, 1 core"] ?? 0, by["XNNPACK wasm, 1 core"]), by };
}

function runChild(extra: string[]): unknown {
  const r = spawnSync(process.execPath, [__filename, ...extra], { encoding: "utf8", timeout: 600_000, maxBuffer: 1 << 24 });
  const line = (r.stdout || "").trim().split("\n").pop() || "";
  try {
    return JSON.parse(line);
  } catch {
    return { skipped: `child exited ${r.status}${r.signal ? ` (${r.signal})` : ""}: ${(r.stderr || "").trim().split("\n").slice(-1)[0]}` };
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.child) { console.log(JSON.stringify(await child(args.child.split(","), args.steps))); return; }
  if (args.peak) { console.log(JSON.stringify(await peak())); return; }

  const log = (s: string) => { if (!args.json) console.log(s); };
  log(`baby GPT (${JSON.stringify(BABY_GPT)}, batch ${BATCH}), data: ${tokens().source}, ${os.cpus().length} cores: ${os.cpus()[0]?.model}`);
  const pk = runChild(["--peak"]) as { gflops: number; by: Record<string, number> };
  log(`GEMM 512^3, this run: ${Object.entries(pk.by ?? {}).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(", ")} GFLOP/s; peak for MFU: ${pk.gflops?.toFixed(1)}`);
  // The wasm variants share one process, interleaved; every other backend gets its own.
  const wasmGroup = args.backends.filter((b) => b.startsWith("wasm"));
  const groups = [...args.backends.filter((b) => !b.startsWith("wasm") && b !== "cpu").map((b) => [b]),
    ...(wasmGroup.length ? [wasmGroup] : []), ...(args.backends.includes("cpu") ? [["cpu"]] : [])];
  const results: Result[] = [];
  for (const g of groups) {
    const got = runChild(["--child", g.join(","), "--steps", String(args.steps)]);
    const rs: Result[] = Array.isArray(got) ? (got as Result[]) : g.map((backend) => ({ backend, ...(got as Partial<Result>) }));
    for (const r of rs) {
      results.push(r);
      log(r.skipped ? `  ${r.backend.padEnd(13)} skipped: ${r.skipped}`
        : `  ${r.backend.padEnd(13)} ${r.tokensPerSec!.toFixed(0).padStart(6)} tokens/s  ${r.msPerStep!.toFixed(1).padStart(8)} ms/step  (${r.detail})`);
    }
  }
  const stock = results.find((r) => r.backend === "wasm-stock" && r.tokensPerSec);
  for (const r of results) {
    if (!r.tokensPerSec) continue;
    r.mfu = pk.gflops ? r.matmulGflopsCpu! / pk.gflops : undefined;
    r.ratioToStockWasm = stock ? r.tokensPerSec / stock.tokensPerSec! : undefined;
    r.ratioToStockWasmCpu = stock ? r.tokensPerCpuSec! / stock.tokensPerCpuSec! : undefined;
    r.ratioToPytorch = r.tokensPerSec / PYTORCH_TOKENS_PER_SEC;
  }
  if (args.json) {
    console.log(JSON.stringify({ model: BABY_GPT, batch: BATCH, gemmPeakGflops: pk.gflops, gemmPeakBy: pk.by,
      pytorchTokensPerSec: PYTORCH_TOKENS_PER_SEC, backends: Object.fromEntries(results.map((r) => [r.backend, r])) }));
    return;
  }
  log("\nbackend        tokens/s   ms/step  matmul GFLOP/s    MFU   x stock wasm   x PyTorch  | cpu ms/step  x stock (cpu) | loss first -> last");
  for (const r of results.filter((x) => x.tokensPerSec)) {
    const l = r.losses!;
    log(`${r.backend.padEnd(13)} ${r.tokensPerSec!.toFixed(0).padStart(9)} ${r.msPerStep!.toFixed(1).padStart(9)} ${r.matmulGflops!.toFixed(2).padStart(15)} ` +
      `${((r.mfu ?? NaN) * 100).toFixed(1).padStart(5)}% ${(r.ratioToStockWasm ?? NaN).toFixed(2).padStart(14)} ${r.ratioToPytorch!.toFixed(3).padStart(11)}  | ` +
      `${r.cpuMsPerStep!.toFixed(1).padStart(11)} ${(r.ratioToStockWasmCpu ?? NaN).toFixed(2).padStart(13)} | ` +
      `${l[0].toFixed(4)} -> ${l[l.length - 1].toFixed(4)}`);
  }
  log(`(ms/step: median wall time of the timed steps; cpu ms/step: this process's CPU time, which other load on a shared machine does not inflate; MFU: matmul FLOPs of a step / its CPU time / one core's GEMM peak above; PyTorch reference ${PYTORCH_TOKENS_PER_SEC} tokens/s)`);
}

main().catch((e) => { console.error(`bench:train: ${(e as Error).message}`); process.exit(1); });
