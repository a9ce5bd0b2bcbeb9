// PyTorch's baby-GPT step for bench/train, run by tests/reference/torch_step.py in a child
// Python (python3-torch), with the check of which BLAS torch really calls: Debian's torch runs on
// the reference BLAS (about 4 GFLOP/s, torch 13x slower) unless libopenblas0-pthread is
// installed, and a comparison against that would flatter us.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { StepWorker } from "./worker";

export interface TorchRun {
  torch: string;
  threads: number;
  blasThreads: number;
  blas: { library: string[]; kind: string };
  gemm512Gflops: number;
}

export type TorchResult = { ok: true; run: TorchRun } | { ok: false; reason: string };

const SCRIPT = "tests/reference/torch_step.py";

function script(): string | null {
  for (let dir = __dirname, i = 0; i < 5; i++, dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, SCRIPT))) return path.join(dir, SCRIPT);
    if (fs.existsSync(path.join(dir, "package.json"))) break;
  }
  return null;
}

/** The Python with torch: LLMLAB_PYTHON, else Debian's /usr/bin/python3 (python3-torch), else python3. */
export function python(): string {
  return process.env.LLMLAB_PYTHON || (fs.existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3");
}

const threadArgs = (threads: number, blasThreads: number) =>
  ["--threads", threads, "--blas-threads", blasThreads].map(String);

/** Which BLAS torch loads with `threads` threads, and its 512^3 GEMM rate (torch_step.py --probe). */
export function torchProbe(threads: number): TorchResult {
  const file = script();
  if (!file) return { ok: false, reason: `${SCRIPT} not found` };
  const r = spawnSync(python(), [file, ...threadArgs(threads, threads), "--probe"], {
    encoding: "utf8",
    timeout: 600_000,
    maxBuffer: 1 << 24,
  });
  if (r.error) return { ok: false, reason: `${python()}: ${r.error.message}` };
  const line = (r.stdout || "").trim().split("\n").pop() || "";
  try {
    return { ok: true, run: JSON.parse(line) as TorchRun };
  } catch {
    const err = (r.stderr || "").trim().split("\n").slice(-1)[0] ?? "";
    return {
      ok: false,
      reason: /No module named 'torch'/.test(err)
        ? `${python()} cannot import torch (apt-get install python3-torch)`
        : `torch_step.py exited ${r.status}: ${err}`,
    };
  }
}

/**
 * PyTorch's step kept alive (torch_step.py --serve) with `threads` intra-op and `blasThreads`
 * OpenBLAS threads, warmed up by `warmup` steps, for blocks of steps on demand (bench/worker.ts).
 */
export async function torchWorker(
  threads: number,
  blasThreads: number,
  warmup: number,
): Promise<{ worker: StepWorker; ready: TorchRun }> {
  const file = script();
  if (!file) throw new Error(`${SCRIPT} not found`);
  const args = [file, ...threadArgs(threads, blasThreads), "--warmup", String(warmup), "--serve"];
  return StepWorker.start<TorchRun>(`PyTorch ${threads}x${blasThreads}`, python(), args);
}

/** Why a comparison against this torch would be unfair, or null when it is fair. */
export function blasRefusal(run: TorchRun): string | null {
  if (run.blas.kind === "reference") {
    return (
      `torch calls the reference BLAS (${run.blas.library.join(", ")}; ${run.gemm512Gflops.toFixed(1)} GFLOP/s at 512^3): ` +
      "install an optimised one (apt-get install libopenblas0-pthread) before comparing"
    );
  }
  return null;
}
