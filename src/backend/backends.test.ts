// Every backend that loads here trains a tiny GPT (the course's, src/model/gpt.ts, so on the
// fast wasm backend with the native addon its blocks run fused) for 10 AdamW steps and must
// give the losses of the 'cpu' backend (tfjs' plain-JS reference kernels, the model's tfjs ops).
import * as tf from "@tensorflow/tfjs-core";
import { createAdamW, initBackend } from "./index";
import { defaultCandidates } from "./candidates";
import { GPT } from "../model/gpt";
import { BatchSampler } from "../train/sampler";

const TINY = { vocabSize: 13, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 16 };
const STEPS = 10;
// float32 kernels sum in different orders (XNNPACK, the native GEMM and tfjs' cpu loops),
// so losses agree to rounding, amplified a little by 10 optimizer steps (measured: 2e-7);
// 1e-5 relative is ~100x float32 epsilon and far below the ~0.01 a step moves the loss.
const TOL = 1e-5;

async function losses(backend: string): Promise<number[]> {
  await initBackend({ prefer: backend });
  const model = new GPT(TINY, { seed: 3 });
  const opt = createAdamW({ lr: 3e-3, beta2: 0.99, weightDecay: 0.1 });
  const tokens = Int32Array.from({ length: 400 }, (_, i) => (i * 5 + (i >> 2)) % TINY.vocabSize);
  const batches = new BatchSampler(tokens, 3, TINY.blockSize, 5);
  const vars = Object.values(model.params);
  const byVariable = Object.fromEntries(vars.map((v) => [v.name, v]));
  const out: number[] = [];
  for (let s = 0; s < STEPS; s++) {
    const b = batches.next();
    const x = tf.tensor2d(b.x, [b.batchSize, b.blockSize], "int32");
    const y = tf.tensor2d(b.y, [b.batchSize, b.blockSize], "int32");
    const { value, grads } = tf.variableGrads(() => model.loss(x, y), vars);
    opt.step(grads, byVariable); // variableGrads keys gradients by variable name
    out.push(value.dataSync()[0]);
    tf.dispose([value, x, y, ...Object.values(grads)]);
  }
  opt.dispose();
  model.dispose();
  return out;
}

describe("every available backend trains like cpu", () => {
  let reference: number[];
  beforeAll(async () => {
    reference = await losses("cpu");
  });

  test("the cpu run itself learns (the comparison is not of two flat lines)", () => {
    expect(reference[STEPS - 1]).toBeLessThan(reference[0] - 0.05);
  });

  const names = defaultCandidates()
    .map((c) => c.name)
    .filter((n) => n !== "cpu");
  test.each(names)("%s: same losses as cpu over 10 AdamW steps (or skipped with a reason)", async (name) => {
    let got: number[];
    try {
      got = await losses(name);
    } catch (e) {
      if (name.startsWith("wasm")) throw e; // pure wasm + JS: must work everywhere
      // Not available on this machine (e.g. no libtensorflow, no GPU): say so, don't fail.
      expect((e as Error).message).toMatch(/could not be used: .{5,}/);
      console.log(`backend ${name} skipped: ${(e as Error).message}`);
      return;
    }
    const worst = Math.max(...got.map((l, i) => Math.abs(l - reference[i]) / Math.abs(reference[i])));
    if (process.env.LLMLAB_VERBOSE) console.log(`${name}: worst relative loss difference ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(TOL);
  });
});
