// bench:gpu-check: for a session on a GPU machine (< 5 minutes). For every GPU-capable
// backend (tfjs-node-gpu on CUDA; WebGPU through Dawn on Vulkan/Metal/D3D12) that loads:
// the adapter/device, a 1024^3 matmul's GFLOP/s and 50 baby-GPT training steps' tokens/s.
// Where nothing loads it says what is missing, and exits 0. `--json` prints one object.
//   npm run bench:gpu-check -- [--json] [--steps 50]
import { spawnSync } from "child_process";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../src/backend";
import { BABY_GPT, BATCH, median, newRun, step, tokens } from "./baby_gpt";

const GPU_BACKENDS = ["node-gpu", "webgpu"];

interface Check {
  backend: string;
  skipped?: string;
  detail?: string;
  matmulGflops?: number;
  tokensPerSec?: number;
  msPerStep?: number;
  losses?: number[];
}

async function check(backend: string, steps: number): Promise<Check> {
  let detail: string;
  try {
    detail = (await initBackend({ prefer: backend })).detail;
  } catch (e) {
    return { backend, skipped: (e as Error).message };
  }
  const n = 1024,
    reps = 10;
  const a = tf.randomNormal([n, n]),
    b = tf.randomNormal([n, n]);
  await tf.matMul(a, b).data(); // compile / warm up
  let t = performance.now();
  for (let r = 0; r < reps; r++) {
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
  }
  const matmulGflops = (2 * n ** 3 * reps) / ((performance.now() - t) / 1000) / 1e9;
  tf.dispose([a, b]);
  const run = newRun(backend, detail, tokens().ids);
  for (let s = 0; s < 3; s++) await step(run); // warm-up: shader compilation, autotuning
  run.ms.length = 0;
  t = performance.now();
  for (let s = 0; s < steps; s++) await step(run);
  const ms = (performance.now() - t) / steps;
  return {
    backend,
    detail,
    matmulGflops,
    msPerStep: median(run.ms),
    tokensPerSec: (BATCH * BABY_GPT.blockSize) / (ms / 1000),
    losses: [run.losses[0], run.losses[run.losses.length - 1]],
  };
}

function nvidiaSmi(): string {
  const r = spawnSync("nvidia-smi", ["-L"], { encoding: "utf8", timeout: 20_000 });
  return r.status === 0 ? r.stdout.trim() : "nvidia-smi not available";
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const json = argv.includes("--json");
  const si = argv.indexOf("--steps"),
    steps = si >= 0 ? Number(argv[si + 1]) : 50;
  if (!(Number.isInteger(steps) && steps >= 1)) throw new Error("--steps must be a positive integer");
  const ci = argv.indexOf("--child");
  if (ci >= 0) {
    console.log(JSON.stringify(await check(argv[ci + 1], steps)));
    return;
  }

  const results: Check[] = [];
  for (const backend of GPU_BACKENDS) {
    // One process per backend: each registers kernels globally and may crash in a driver.
    const r = spawnSync(process.execPath, [__filename, "--child", backend, "--steps", String(steps)], {
      encoding: "utf8",
      timeout: 130_000,
    });
    const line = (r.stdout || "").trim().split("\n").pop() || "";
    try {
      results.push(JSON.parse(line) as Check);
    } catch {
      results.push({
        backend,
        skipped: `child exited ${r.status}${r.signal ? ` (${r.signal}, limit 130 s)` : ""}: ${(r.stderr || "").trim().split("\n").slice(-1)[0]}`,
      });
    }
  }
  const gpus = nvidiaSmi();
  if (json) {
    console.log(JSON.stringify({ nvidiaSmi: gpus, steps, backends: results }));
    return;
  }
  console.log(`GPUs (nvidia-smi -L): ${gpus}`);
  for (const r of results) {
    if (r.skipped) {
      console.log(`${r.backend.padEnd(9)} not available: ${r.skipped}`);
      continue;
    }
    console.log(
      `${r.backend.padEnd(9)} ${r.detail}\n          matmul 1024^3: ${r.matmulGflops!.toFixed(1)} GFLOP/s; ` +
        `${steps} baby-GPT steps: ${r.tokensPerSec!.toFixed(0)} tokens/s (${r.msPerStep!.toFixed(1)} ms/step median), loss ${r.losses![0].toFixed(3)} -> ${r.losses![1].toFixed(3)}`,
    );
  }
  if (results.every((r) => r.skipped)) {
    console.log(
      "\nNo GPU backend loaded. What each needs:\n" +
        "  node-gpu: @tensorflow/tfjs-node-gpu@4.22.0 installed with its libtensorflow (its install downloads it), CUDA 11.2 + cuDNN 8, an NVIDIA GPU\n" +
        "  webgpu:   npm install --no-save webgpu@0.6.2 @tensorflow/tfjs-backend-webgpu@4.22.0, and a Vulkan driver (apt: libvulkan1, plus the\n" +
        "            NVIDIA driver's Vulkan ICD, or mesa-vulkan-drivers for other GPUs)",
    );
  }
}

main().catch((e) => {
  console.error(`bench:gpu-check: ${(e as Error).message}`);
  process.exit(1);
});
