// Generation speed for bench/train: src/model's generate() with its KV cache at batch 1, tokens/s
// per model size, on the backend initBackend() picks. At batch 1 a token is a chain of tiny
// kernels (a [1, C] x [C, 3C] product, a few-element softmax), so the count of kernels per token,
// taken with tf.profile, says how much of a token is dispatch rather than arithmetic.
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../src/backend";
import { GPT } from "../src/model/gpt";
import { generate } from "../src/model/generate";

export interface GenerationSize {
  name: string;
  params: number;
  nLayer: number;
  nHead: number;
  nEmbd: number;
  blockSize: number;
  tokensPerSec: number;
  msPerToken: number;
  kernelsPerToken: number;
}

export interface GenerationResult {
  backend: string;
  sizes: GenerationSize[];
}

/** The course's baby GPT, nanoGPT's Shakespeare-char model, and one in between. */
const SIZES = [
  { name: "baby", nLayer: 4, nHead: 4, nEmbd: 128, blockSize: 64 },
  { name: "medium", nLayer: 6, nHead: 6, nEmbd: 192, blockSize: 128 },
  { name: "char-6L", nLayer: 6, nHead: 6, nEmbd: 384, blockSize: 256 },
];

export async function generationBench(): Promise<GenerationResult> {
  const choice = await initBackend();
  const sizes: GenerationSize[] = [];
  for (const s of SIZES) {
    const model = new GPT({ vocabSize: 65, ...s }, { seed: 1 });
    // Warm up (kernel setup, XNNPACK operator caches), then one timed run that fills the context.
    generate(model, [0], { maxNewTokens: 8, temperature: 0 });
    const n = Math.min(s.blockSize - 1, 128);
    const t = performance.now();
    generate(model, [0], { maxNewTokens: n, temperature: 0 });
    const ms = (performance.now() - t) / n;
    const prof = await tf.profile(() => {
      generate(model, [0], { maxNewTokens: 8, temperature: 0 });
    });
    sizes.push({
      ...s,
      params: model.paramCount(),
      tokensPerSec: 1000 / ms,
      msPerToken: ms,
      kernelsPerToken: Math.round(prof.kernels.length / 8),
    });
    model.dispose();
  }
  return { backend: `${choice.name} (${choice.detail})`, sizes };
}
