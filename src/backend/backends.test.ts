// Every backend that loads here trains a tiny GPT for 10 AdamW steps and must give the
// losses of the 'cpu' backend (tfjs' plain-JS reference kernels).
import * as tf from "@tensorflow/tfjs-core";
import { createAdamW, initBackend } from "./index";
import { defaultCandidates } from "./candidates";
import { initGpt, loss, sampleBatch, uniformSampler, type GptConfig } from "./testing/gpt";

const TINY: GptConfig = { vocabSize: 13, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 16 };
const STEPS = 10;
// float32 kernels sum in different orders (XNNPACK, the native GEMM and tfjs' cpu loops),
// so losses agree to rounding, amplified a little by 10 optimizer steps (measured: 2e-7);
// 1e-5 relative is ~100x float32 epsilon and far below the ~0.01 a step moves the loss.
const TOL = 1e-5;

async function losses(backend: string): Promise<number[]> {
  await initBackend({ prefer: backend });
  const params = initGpt(TINY, 3, `${backend}/`);
  const byName = Object.fromEntries(Object.values(params).map((v) => [v.name, v]));
  const opt = createAdamW({ lr: 3e-3, beta2: 0.99, weightDecay: 0.1 });
  const rand = uniformSampler(5);
  const tokens = Int32Array.from({ length: 400 }, (_, i) => (i * 5 + (i >> 2)) % TINY.vocabSize);
  const out: number[] = [];
  for (let s = 0; s < STEPS; s++) {
    const { x, y } = sampleBatch(tokens, 3, TINY.blockSize, rand);
    const { value, grads } = tf.variableGrads(() => loss(params, x, y, TINY), Object.values(params));
    opt.step(grads, byName);
    out.push(value.dataSync()[0]);
    tf.dispose([value, x, y, ...Object.values(grads)]);
  }
  opt.dispose();
  tf.dispose(Object.values(params));
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
