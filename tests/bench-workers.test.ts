// bench:train's two sides as kept-alive workers (bench/worker.ts): each answers blocks of steps
// on demand and keeps training between them (its losses carry on from block to block, as one
// run's), and a side that dies is reported by name with its last error line. PyTorch's side is
// skipped where Debian's python3-torch is missing (CI installs no torch).
import * as path from "path";
import { torchWorker } from "../bench/pytorch";
import { StepWorker } from "../bench/worker";

import { TORCH, systemPackages } from "./helpers/system";

const ourBench = path.resolve(__dirname, "../dist/bench/train.js");
const maybeTorch = systemPackages(__filename, TORCH) ? test : test.skip;

async function twoBlocks(worker: StepWorker): Promise<number[]> {
  try {
    const a = await worker.run(2),
      b = await worker.run(3);
    for (const block of [a, b]) {
      expect(block.msPerStep.every((ms) => ms > 0)).toBe(true);
      expect(block.cpuMsPerStep).toHaveLength(block.msPerStep.length);
    }
    expect(a.msPerStep).toHaveLength(2);
    expect(b.msPerStep).toHaveLength(3);
    return [...a.losses!, ...b.losses!];
  } finally {
    worker.close();
  }
}

// 65 characters from random weights: the loss starts near ln 65 = 4.17 and moves step by step.
function expectTraining(losses: number[]): void {
  expect(losses).toHaveLength(5);
  expect(Math.abs(losses[0] - Math.log(65))).toBeLessThan(0.15);
  expect(new Set(losses).size).toBe(5);
}

test("our step as a worker: blocks on demand, one run across them", async () => {
  const { worker, ready } = await StepWorker.start<{ detail: string }>("our step", process.execPath, [
    ourBench,
    "--serve",
    "wasm",
    "--warmup",
    "1",
  ]);
  expect(ready.detail).toMatch(/wasm/);
  expectTraining(await twoBlocks(worker));
});

maybeTorch("PyTorch's step as a worker: the BLAS it loaded, then blocks on demand", async () => {
  const { worker, ready } = await torchWorker(1, 1, 1);
  expect(ready.blas.kind).not.toBe("unknown");
  expectTraining(await twoBlocks(worker));
});

test("a worker that dies is named, with its last error line", async () => {
  const { worker } = await StepWorker.start<object>("echo-once", process.execPath, [
    "-e",
    "console.log('{}'); process.stdin.once('data', () => { console.error('boom: no steps here'); process.exit(3); });",
  ]);
  await expect(worker.run(1)).rejects.toThrow(/echo-once exited during 1 steps: boom: no steps here/);
});
