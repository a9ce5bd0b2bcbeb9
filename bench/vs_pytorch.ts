// Our baby-GPT step against PyTorch's, side by side in one run (bench/train's PyTorch part): both
// kept alive in child processes (ours: bench/train.js --serve; PyTorch: bench/pytorch.ts) and taking
// turns block by block, so every ratio compares two blocks measured seconds apart.
import * as os from "os";
import { BABY_GPT, BATCH, median } from "./baby_gpt";
import { blasRefusal, torchWorker, type TorchResult, type TorchRun } from "./pytorch";
import { StepWorker, type Block } from "./worker";

/** How to run the comparison: ours is `node <oursScript> --serve wasm` (bench/train.js). */
export interface SideBySide {
  oursScript: string;
  steps: number;
  warmup: number;
  rounds: number;
}

/** One side-by-side pair of a round: a block of our steps and one of a PyTorch configuration's, back to back. */
interface Pair {
  /** PyTorch's configuration, "intra-op threads x OpenBLAS threads" (e.g. "1x2"). */
  config: string;
  /** Tokens/s from each block's median step. */
  ours: number;
  pytorch: number;
  ratio: number;
  /** Tokens per CPU-second (all threads): what the step costs, whatever else ran. */
  oursPerCpuSec: number;
  pytorchPerCpuSec: number;
}

/** A round: ours beside each PyTorch configuration in turn; it counts against PyTorch's best. */
export interface Round {
  pairs: Pair[];
  /** PyTorch's tokens/s per configuration. */
  pytorchBy: Record<string, number>;
  /** The pair with the lowest ours / PyTorch (PyTorch's best configuration, measured beside ours). */
  ours: number;
  pytorch: number;
  pytorchConfig: string;
  ratio: number;
  oursPerCpuSec: number;
  pytorchPerCpuSec: number;
  order: string;
}

/**
 * PyTorch's configurations, so it is compared at its best: one thread; its intra-op threads on
 * one core with OpenBLAS on all (its fastest here); both on all cores (the default of a torch
 * script, slowest here: the two thread pools spin against each other).
 */
function torchConfigs(cores: number): { threads: number; blasThreads: number }[] {
  if (cores <= 1) return [{ threads: 1, blasThreads: 1 }];
  return [
    { threads: 1, blasThreads: 1 },
    { threads: 1, blasThreads: cores },
    { threads: cores, blasThreads: cores },
  ];
}

export interface Comparison {
  torch?: string;
  blas?: TorchRun["blas"];
  openblasGflops?: number;
  refused?: string;
  skipped?: string;
  rounds?: Round[];
  /** The round with the lower ours / PyTorch. */
  worse?: Round;
}

const tokensPerSec = (ms: number) => (BATCH * BABY_GPT.blockSize) / (ms / 1000);
// Between blocks: long enough for the side that just ran to go quiet (OpenBLAS's idle threads
// spin ~0.1 s before they sleep, ours 100 us), so neither side's block pays for the other's.
const settle = () => new Promise((r) => setTimeout(r, 300));

/**
 * Ours against PyTorch. Both sides are started once and warmed up (bench/worker.ts: ours in a
 * child, each PyTorch configuration in its own Python), then take turns block by block: in each
 * round a block of ours beside a block of each configuration (ours first in odd rounds, PyTorch
 * first in even ones), so every ratio comes from two blocks measured seconds apart, on the same
 * state of a machine whose speed drifts over tens of seconds. A round counts against PyTorch's
 * best configuration; the worse round is the figure.
 */
export async function compareWithPytorch(
  args: SideBySide,
  probe: TorchResult,
  log: (s: string) => void,
): Promise<Comparison> {
  const cores = os.cpus().length;
  if (!probe.ok) return { skipped: probe.reason };
  const cmp: Comparison = { torch: probe.run.torch, blas: probe.run.blas, openblasGflops: probe.run.gemm512Gflops };
  const refusal = blasRefusal(probe.run);
  if (refusal) return { ...cmp, refused: refusal };
  log(
    `\nPyTorch ${probe.run.torch} on ${probe.run.blas.kind} (${probe.run.blas.library.join(", ")}), ${cores} threads: GEMM 512^3 ${probe.run.gemm512Gflops.toFixed(1)} GFLOP/s`,
  );
  const workers: StepWorker[] = [];
  try {
    const ours = (
      await StepWorker.start<{ detail: string }>("our step", process.execPath, [
        args.oursScript,
        "--serve",
        "wasm",
        "--warmup",
        String(args.warmup),
      ])
    ).worker;
    workers.push(ours);
    const torch: { config: string; worker: StepWorker }[] = [];
    for (const c of torchConfigs(cores)) {
      const { worker } = await torchWorker(c.threads, c.blasThreads, args.warmup);
      workers.push(worker);
      torch.push({ config: `${c.threads}x${c.blasThreads}`, worker });
    }
    // Warm up again, side by side, now that all are started: a side that idled through the
    // others' start-up (seconds) ran its first block ~15% slower (caches, clocks, V8's code).
    for (const w of workers) {
      await settle();
      await w.run(args.warmup);
    }
    cmp.rounds = [];
    for (let r = 0; r < args.rounds; r++) {
      const pairs: Pair[] = [];
      for (const t of torch) {
        const sides = r % 2 === 0 ? [ours, t.worker] : [t.worker, ours];
        const blocks: Block[] = [];
        for (const w of sides) {
          await settle();
          blocks.push(await w.run(args.steps));
        }
        const [o, p] = r % 2 === 0 ? blocks : [blocks[1], blocks[0]];
        const pair = {
          config: t.config,
          ours: tokensPerSec(median(o.msPerStep)),
          pytorch: tokensPerSec(median(p.msPerStep)),
          oursPerCpuSec: tokensPerSec(median(o.cpuMsPerStep)),
          pytorchPerCpuSec: tokensPerSec(median(p.cpuMsPerStep)),
        };
        pairs.push({ ...pair, ratio: pair.ours / pair.pytorch });
      }
      const decisive = pairs.reduce((w, x) => (x.ratio < w.ratio ? x : w));
      const round: Round = {
        pairs,
        pytorchBy: Object.fromEntries(pairs.map((p) => [p.config, p.pytorch])),
        ours: decisive.ours,
        pytorch: decisive.pytorch,
        pytorchConfig: decisive.config,
        ratio: decisive.ratio,
        oursPerCpuSec: decisive.oursPerCpuSec,
        pytorchPerCpuSec: decisive.pytorchPerCpuSec,
        order: r % 2 === 0 ? "ours first" : "PyTorch first",
      };
      cmp.rounds.push(round);
      log(
        `  round ${r + 1} (${round.order} in each pair): ${pairs
          .map((p) => `ours ${p.ours.toFixed(0)} / PyTorch ${p.config} ${p.pytorch.toFixed(0)} = ${p.ratio.toFixed(2)}`)
          .join(", ")}; against PyTorch's best (${round.pytorchConfig}) ${round.ratio.toFixed(2)}` +
          `; per CPU-second ours ${round.oursPerCpuSec.toFixed(0)}, PyTorch ${round.pytorchPerCpuSec.toFixed(0)}`,
      );
    }
  } catch (e) {
    return { ...cmp, skipped: (e as Error).message };
  } finally {
    for (const w of workers) w.close();
  }
  cmp.worse = cmp.rounds.reduce((w, x) => (x.ratio < w.ratio ? x : w));
  return cmp;
}
