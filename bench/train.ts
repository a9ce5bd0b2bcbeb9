// bench:train: the course's baby GPT (src/model/gpt.ts: vocab 65, block 64, batch 12, 4 layers,
// 4 heads, n_embd 128) taking the training step of `llmlab train --config baby` (src/train's
// Trainer: AdamW, clipping; bench/baby_gpt.ts) on every backend that loads here, in one run: the wasm
// variants interleaved step by step in one child process, every other backend in its own.
// Prints tokens/s, ms/step, achieved matmul GFLOP/s, MFU against the all-cores GEMM peak
// measured in the same run, and the ratio to stock wasm (tfjs as shipped: stock kernels,
// AdamW as ops), by wall time and by CPU time. Then PyTorch's same step
// (tests/reference/torch_step.py) against ours ('wasm'), refusing a torch on the reference BLAS:
// both kept alive in child processes and taking turns block by block, ours beside each of
// PyTorch's three thread configurations (bench/vs_pytorch.ts's torchConfigs) in every round; a round counts
// against PyTorch's best and ours / PyTorch is reported from the worse round. `--json`: one object.
// Both sides take --warmup steps first (default 10: our step reaches its steady time after
// ~10, as V8 optimises the engine's JavaScript), then the median of each block of --steps counts.
//   npm run bench:train -- [--json] [--steps 10] [--warmup 10] [--rounds 2] [--backends wasm,wasm-stock,...]
import { spawnSync } from "child_process";
import * as os from "os";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../src/backend";
import { loadGemmAddon } from "../src/backend/addon";
import { BABY_GPT, BATCH, flopsPerStep, median, newRun, step, tokens, type Run } from "./baby_gpt";
import * as readline from "readline";
import { blasRefusal, torchProbe } from "./pytorch";
import { compareWithPytorch } from "./vs_pytorch";
import { generationBench, type GenerationResult } from "./generation";
const ALL = ["node-gpu", "node", "webgpu", "wasm-stock", "wasm-noaddon", "wasm", "cpu"];

interface Args {
  json: boolean;
  steps: number;
  warmup: number;
  rounds: number;
  backends: string[];
  child?: string;
  serve?: string;
  peak: boolean;
  generation: boolean;
  genChild: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    json: false,
    steps: 10,
    warmup: 10,
    rounds: 2,
    backends: ALL,
    peak: false,
    generation: true,
    genChild: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === "--json") a.json = true;
    else if (k === "--steps") a.steps = Number(argv[++i]);
    else if (k === "--warmup") a.warmup = Number(argv[++i]);
    else if (k === "--backends") a.backends = String(argv[++i]).split(",");
    else if (k === "--child") a.child = argv[++i];
    else if (k === "--serve") a.serve = argv[++i];
    else if (k === "--rounds") a.rounds = Number(argv[++i]);
    else if (k === "--peak") a.peak = true;
    else if (k === "--no-generation") a.generation = false;
    else if (k === "--generation-child") a.genChild = true;
    else
      throw new Error(
        `bench:train: unknown argument '${k}' (expected --json, --steps N, --warmup N, --rounds N, --backends a,b, --no-generation)`,
      );
  }
  if (!(Number.isInteger(a.steps) && a.steps >= 1)) throw new Error(`bench:train: --steps must be a positive integer`);
  if (!(Number.isInteger(a.warmup) && a.warmup >= 0))
    throw new Error(`bench:train: --warmup must be a non-negative integer`);
  if (!(Number.isInteger(a.rounds) && a.rounds >= 1))
    throw new Error(`bench:train: --rounds must be a positive integer`);
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
  /** Model FLOP utilisation: matmul GFLOP/s of the step (wall) / the all-cores GEMM peak (wall). */
  mfu?: number;
  matmulGflopsCpu?: number;
  ratioToStockWasm?: number;
  losses?: number[];
}

/** Steps per backend: the slow ones get fewer so a run stays around a minute. */
function stepsFor(backend: string, steps: number, warmup: number): { warmup: number; timed: number } {
  if (backend === "cpu") return { warmup: 1, timed: Math.max(1, Math.ceil(steps / 5)) };
  return { warmup, timed: steps };
}

/**
 * Runs the given backends in one process, round-robin one step at a time, so that the
 * load of a shared machine falls on all of them alike. This works for the wasm variants
 * (one wasm backend, kernels swapped between steps); other backends get a process each.
 */
async function child(backends: string[], steps: number, warmupSteps: number): Promise<Result[]> {
  const runs: Run[] = [],
    out: Result[] = [];
  const data = tokens().ids;
  for (const backend of backends) {
    try {
      // The baseline is tfjs as shipped: stock kernels and AdamW as ~14 tfjs ops per parameter.
      const stock = backend === "wasm-stock";
      const detail =
        (await initBackend({ prefer: backend })).detail + (stock ? "; AdamW as tfjs ops" : "; fused AdamW");
      runs.push(newRun(backend, detail, data, !stock));
    } catch (e) {
      out.push({ backend, skipped: (e as Error).message });
    }
  }
  const { warmup, timed } = stepsFor(backends[0], steps, warmupSteps);
  for (let s = 0; s < warmup + timed; s++) {
    for (const r of runs) {
      if (runs.length > 1) await initBackend({ prefer: r.backend });
      await step(r);
    }
  }
  const flops = flopsPerStep();
  for (const r of runs) {
    const ms = median(r.ms.slice(warmup)),
      cpu = median(r.cpuMs.slice(warmup));
    out.push({
      backend: r.backend,
      detail: r.detail,
      steps: timed,
      msPerStep: ms,
      tokensPerSec: (BATCH * BABY_GPT.blockSize) / (ms / 1000),
      cpuMsPerStep: cpu,
      tokensPerCpuSec: (BATCH * BABY_GPT.blockSize) / (cpu / 1000),
      matmulGflopsCpu: flops / (cpu / 1000) / 1e9,
      matmulGflops: flops / (ms / 1000) / 1e9,
      losses: r.losses,
    });
  }
  return out;
}

/**
 * GEMM rates at 512^3 in this run: the native kernel on one core (per CPU-second, so other load
 * does not deflate it) and on all cores (wall time: what a step can get), and XNNPACK in wasm.
 * The all-cores figure (with OpenBLAS's, from the PyTorch probe) is the peak MFU is taken against.
 */
async function peak(): Promise<Record<string, number>> {
  const n = 512,
    reps = 8,
    flops = 2 * n ** 3 * reps,
    by: Record<string, number> = {};
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
    const threads = addon.info().threads;
    addon.setThreads(1);
    by["native, 1 core (cpu time)"] = flops / cpuSeconds(gemm) / 1e9;
    addon.setThreads(os.cpus().length);
    gemm();
    const t = performance.now();
    for (let r = 0; r < reps; r++) gemm();
    by[`native, ${os.cpus().length} threads`] = flops / ((performance.now() - t) / 1000) / 1e9;
    addon.setThreads(threads);
  }
  await initBackend({ prefer: "wasm-noaddon" });
  const a = tf.randomNormal([n, n]),
    b = tf.randomNormal([n, n]);
  by["XNNPACK wasm, 1 core (cpu time)"] = flops / cpuSeconds(() => tf.matMul(a, b).dataSync()) / 1e9;
  return by;
}

function runChild(extra: string[]): unknown {
  const r = spawnSync(process.execPath, [__filename, ...extra], {
    encoding: "utf8",
    timeout: 600_000,
    maxBuffer: 1 << 24,
  });
  const line = (r.stdout || "").trim().split("\n").pop() || "";
  try {
    return JSON.parse(line);
  } catch {
    return {
      skipped: `child exited ${r.status}${r.signal ? ` (${r.signal})` : ""}: ${(r.stderr || "").trim().split("\n").slice(-1)[0]}`,
    };
  }
}

/**
 * `--serve <backend>`: our side of compareWithPytorch (bench/worker.ts's protocol): a fresh run,
 * warmed up, then blocks of steps on demand.
 */
async function serve(backend: string, warmup: number): Promise<void> {
  const emit = (x: unknown) => process.stdout.write(JSON.stringify(x) + "\n");
  try {
    const detail = (await initBackend({ prefer: backend })).detail;
    const run = newRun(backend, detail, tokens().ids);
    for (let s = 0; s < warmup; s++) await step(run);
    emit({ detail });
    for await (const line of readline.createInterface({ input: process.stdin })) {
      if (!line.trim()) continue;
      const from = run.ms.length;
      for (let s = 0; s < Number(line); s++) await step(run);
      emit({ msPerStep: run.ms.slice(from), cpuMsPerStep: run.cpuMs.slice(from), losses: run.losses.slice(from) });
    }
  } catch (e) {
    emit({ error: (e as Error).message });
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.child) {
    console.log(JSON.stringify(await child(args.child.split(","), args.steps, args.warmup)));
    return;
  }
  if (args.serve) {
    await serve(args.serve, args.warmup);
    return;
  }
  if (args.peak) {
    console.log(JSON.stringify(await peak()));
    return;
  }
  if (args.genChild) {
    console.log(JSON.stringify(await generationBench()));
    return;
  }

  const log = (s: string) => {
    if (!args.json) console.log(s);
  };
  const cores = os.cpus().length;
  log(
    `baby GPT (${JSON.stringify(BABY_GPT)}, batch ${BATCH}), data: ${tokens().source}, ${cores} cores: ${os.cpus()[0]?.model}`,
  );
  const by = runChild(["--peak"]) as Record<string, number>;
  const probe = torchProbe(cores);
  if (probe.ok && !blasRefusal(probe.run)) by[`OpenBLAS via torch, ${cores} threads`] = probe.run.gemm512Gflops;
  const allCores = Object.entries(by)
    .filter(([k]) => !k.includes("1 core"))
    .map(([, v]) => v);
  const peakGflops = allCores.length ? Math.max(...allCores) : NaN;
  log(
    `GEMM 512^3, this run: ${Object.entries(by)
      .map(([k, v]) => `${k} ${v.toFixed(1)}`)
      .join(", ")} GFLOP/s; all-cores peak for MFU: ${peakGflops.toFixed(1)}`,
  );
  // The wasm variants share one process, interleaved; every other backend gets its own.
  const wasmGroup = args.backends.filter((b) => b.startsWith("wasm"));
  const groups = [
    ...args.backends.filter((b) => !b.startsWith("wasm") && b !== "cpu").map((b) => [b]),
    ...(wasmGroup.length ? [wasmGroup] : []),
    ...(args.backends.includes("cpu") ? [["cpu"]] : []),
  ];
  const results: Result[] = [];
  for (const g of groups) {
    const got = runChild(["--child", g.join(","), "--steps", String(args.steps), "--warmup", String(args.warmup)]);
    const rs: Result[] = Array.isArray(got)
      ? (got as Result[])
      : g.map((backend) => ({ backend, ...(got as Partial<Result>) }));
    for (const r of rs) {
      results.push(r);
      log(
        r.skipped
          ? `  ${r.backend.padEnd(13)} skipped: ${r.skipped}`
          : `  ${r.backend.padEnd(13)} ${r.tokensPerSec!.toFixed(0).padStart(6)} tokens/s  ${r.msPerStep!.toFixed(1).padStart(8)} ms/step  (${r.detail})`,
      );
    }
  }
  const stock = results.find((r) => r.backend === "wasm-stock" && r.tokensPerSec);
  for (const r of results) {
    if (!r.tokensPerSec) continue;
    r.mfu = r.matmulGflops! / peakGflops;
    r.ratioToStockWasm = stock ? r.tokensPerSec / stock.tokensPerSec! : undefined;
    r.ratioToStockWasmCpu = stock ? r.tokensPerCpuSec! / stock.tokensPerCpuSec! : undefined;
  }
  if (!args.json) {
    log(
      "\nbackend        tokens/s   ms/step  matmul GFLOP/s    MFU   x stock wasm  | cpu ms/step  x stock (cpu) | loss first -> last",
    );
    for (const r of results.filter((x) => x.tokensPerSec)) {
      const l = r.losses!;
      log(
        `${r.backend.padEnd(13)} ${r.tokensPerSec!.toFixed(0).padStart(9)} ${r.msPerStep!.toFixed(1).padStart(9)} ${r.matmulGflops!.toFixed(2).padStart(15)} ` +
          `${((r.mfu ?? NaN) * 100).toFixed(1).padStart(5)}% ${(r.ratioToStockWasm ?? NaN).toFixed(2).padStart(14)}  | ` +
          `${r.cpuMsPerStep!.toFixed(1).padStart(11)} ${(r.ratioToStockWasmCpu ?? NaN).toFixed(2).padStart(13)} | ` +
          `${l[0].toFixed(4)} -> ${l[l.length - 1].toFixed(4)}`,
      );
    }
    log(
      "(ms/step: median wall time of the timed steps; cpu ms/step: this process's CPU time; MFU: matmul FLOPs of a step / its wall time / the all-cores GEMM peak above)",
    );
  }
  const pytorch = await compareWithPytorch({ ...args, oursScript: __filename }, probe, log);
  if (pytorch.worse) {
    const w = pytorch.worse;
    log(
      `ours / PyTorch, worse of ${pytorch.rounds!.length} rounds: ${w.ratio.toFixed(2)} (ours ${w.ours.toFixed(0)} tokens/s, PyTorch's best ${w.pytorch.toFixed(0)}; ` +
        `MFU ours ${(((w.ours * flopsPerStep()) / (BATCH * BABY_GPT.blockSize) / 1e9 / peakGflops) * 100).toFixed(1)}%)`,
    );
  } else log(`\nPyTorch comparison ${pytorch.refused ? `refused: ${pytorch.refused}` : `skipped: ${pytorch.skipped}`}`);
  let generation: GenerationResult | { skipped: string } | undefined;
  if (args.generation) {
    generation = runChild(["--generation-child"]) as GenerationResult | { skipped: string };
    if ("skipped" in generation) log(`\ngeneration skipped: ${generation.skipped}`);
    else {
      log(`\ngeneration, batch 1, KV cache (${generation.backend}): tokens/s per model size`);
      for (const g of generation.sizes)
        log(
          `  ${g.name.padEnd(8)} ${String(g.params).padStart(9)} params  ${g.tokensPerSec.toFixed(0).padStart(6)} tokens/s  ${g.msPerToken.toFixed(2).padStart(7)} ms/token (${g.kernelsPerToken} kernels/token)`,
        );
    }
  }
  if (args.json) {
    const oursFlops = (t: number) => (t * flopsPerStep()) / (BATCH * BABY_GPT.blockSize) / 1e9;
    console.log(
      JSON.stringify({
        model: BABY_GPT,
        batch: BATCH,
        cores,
        gemmPeakGflops: peakGflops,
        gemmPeakBy: by,
        pytorch: pytorch.worse
          ? {
              ...pytorch,
              oursTokensPerSec: pytorch.worse.ours,
              pytorchTokensPerSec: pytorch.worse.pytorch,
              ratio: pytorch.worse.ratio,
              oursMfu: oursFlops(pytorch.worse.ours) / peakGflops,
              // The same per CPU-second against one core's peak per CPU-second: a loaded machine deflates wall-time peaks.
              oursMfuCpu: oursFlops(pytorch.worse.oursPerCpuSec) / by["native, 1 core (cpu time)"],
            }
          : pytorch,
        backends: Object.fromEntries(results.map((r) => [r.backend, r])),
        generation,
      }),
    );
  }
}

main().catch((e) => {
  console.error(`bench:train: ${(e as Error).message}`);
  process.exit(1);
});
