// The GPT adapters against a manual forward pass: log P(text) must equal the sum of
// log-softmax(logits)[next token] read off the model's own forward, token by token.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { GPT } from "../../src/model/gpt";
import { CharVocab } from "../../src/tokenize/charVocab";
import { gptScorer, gptSampler, meanLoss, slidingWindows } from "../../src/eval/gpt";
import { generateFromModel } from "../../src/synthetic/sampler";
import { generate } from "../../src/model/generate";

const vocab = CharVocab.fromText("\nabcdefghij .");
const model = new GPT({ vocabSize: vocab.size, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 8 }, { seed: 3 });

beforeAll(async () => {
  await tf.setBackend("cpu");
});
afterAll(() => model.dispose());

/** log-softmax of the logits after the last token of ctx. */
function lastLogProbs(ctx: number[]): Float32Array {
  const lp = tf.tidy(() => {
    const logits = model.forward(tf.tensor2d([ctx], [1, ctx.length], "int32"));
    return tf.logSoftmax(tf.reshape(tf.slice(logits, [0, ctx.length - 1, 0], [1, 1, vocab.size]), [vocab.size]));
  });
  const out = lp.dataSync() as Float32Array;
  lp.dispose();
  return out;
}

/** log p(seq[j] | seq[max(0, j-T)..j-1]) by one forward pass per token: the reference. */
function manualLogProb(ids: number[], j: number): number {
  const T = model.config.blockSize;
  const ctx = ids.slice(Math.max(0, j - T), j);
  return lastLogProbs(ctx)[ids[j]];
}

describe("gptScorer", () => {
  it("short text: token log-probs equal the manual forward pass, the first token conditioned on the prefix", () => {
    const text = "abc de.";
    const ids = Array.from(vocab.encode("\n" + text));
    const manual = ids.slice(1).map((_, k) => manualLogProb(ids, k + 1));
    const s = gptScorer(model, vocab, { prefix: "\n" });
    const lp = Array.from(s.tokenLogProbs(text));
    expect(lp).toHaveLength(text.length);
    lp.forEach((x, k) => expect(x).toBeCloseTo(manual[k], 5));
    expect(s.logProb(text)).toBeCloseTo(
      manual.reduce((a, b) => a + b, 0),
      4,
    );
  });

  it("without a prefix the first token is not scored", () => {
    const text = "hij";
    const ids = Array.from(vocab.encode(text));
    const s = gptScorer(model, vocab);
    const lp = Array.from(s.tokenLogProbs(text));
    expect(lp).toHaveLength(2);
    expect(lp[0]).toBeCloseTo(manualLogProb(ids, 1), 5);
    expect(lp[1]).toBeCloseTo(manualLogProb(ids, 2), 5);
  });

  it("long text with stride 1: every token gets its full blockSize context (equals per-token reference)", () => {
    const text = "abc defg hij. abcd efgh ij a"; // 28 chars > blockSize 8
    const ids = Array.from(vocab.encode("\n" + text));
    const s = gptScorer(model, vocab, { prefix: "\n", stride: 1, batchSize: 5 });
    const lp = Array.from(s.tokenLogProbs(text));
    expect(lp).toHaveLength(text.length);
    lp.forEach((x, k) => expect(x).toBeCloseTo(manualLogProb(ids, k + 1), 5));
  });

  it("long text with disjoint windows equals the sum over windows computed by hand", () => {
    const text = "abcdefghij abcdefghij";
    const ids = Array.from(vocab.encode("\n" + text));
    const T = model.config.blockSize;
    // stride T: window k scores targets 1 + kT .. (k+1)T with inputs starting at kT; the last,
    // shorter window still takes a full blockSize of inputs, ending at the last token.
    const N = ids.length;
    const lastFirst = 1 + Math.floor((N - 2) / T) * T;
    let manual = 0;
    for (let j = 1; j < N; j++) {
      const start = j >= lastFirst ? Math.max(0, N - 1 - T) : Math.floor((j - 1) / T) * T;
      const ctx = ids.slice(start, j);
      manual += lastLogProbs(ctx)[ids[j]];
    }
    expect(gptScorer(model, vocab, { prefix: "\n" }).logProb(text)).toBeCloseTo(manual, 4);
  });

  it("batched scoring of texts of different lengths equals one-by-one scoring", () => {
    const texts = ["a", "abc", "hij hij hij hij", "", "j."];
    const s = gptScorer(model, vocab, { prefix: "\n", batchSize: 3 });
    const batch = s.logProbBatch(texts);
    texts.forEach((t, i) => expect(batch[i]).toBeCloseTo(s.logProb(t), 5));
    expect(batch[3]).toBe(0); // nothing to score
    const all = s.tokenLogProbsBatch(texts);
    const n = all.reduce((k, lp) => k + lp.length, 0);
    expect(meanLoss(s, texts)).toBeCloseTo(-batch.reduce((a, b) => a + b, 0) / n, 5);
  });

  it("rejects a bad stride and unknown characters with clear errors", () => {
    expect(() => gptScorer(model, vocab, { stride: 9 })).toThrow(/stride/);
    expect(() => gptScorer(model, vocab).logProb("XYZ")).toThrow(/not in the vocabulary/);
  });
});

describe("slidingWindows", () => {
  it("covers every position from `first` exactly once with at most blockSize inputs", () => {
    const seq = Array.from({ length: 23 }, (_, i) => i);
    for (const stride of [1, 3, 8]) {
      const ws = slidingWindows(seq, 2, 8, stride);
      const covered: number[] = [];
      for (const w of ws) {
        expect(w.input.length).toBeLessThanOrEqual(8);
        expect(w.targets).toEqual(w.input.map((x) => x + 1)); // targets are the next positions
        w.targets.slice(w.from).forEach((t, k) => {
          expect(w.out + k).toBe(t - 2);
          covered.push(t);
        });
      }
      expect(covered).toEqual(seq.slice(2));
    }
  });
});

describe("gptSampler", () => {
  it("returns the tokens generate() draws after the prompt, with the recorded settings", async () => {
    const sampler = gptSampler(model, vocab, { name: "test model" });
    const settings = { temperature: 0.8, topK: 5, maxTokens: 6, seed: 11 };
    const prompt = "ab";
    const expected = vocab.decode(
      generate(model, Array.from(vocab.encode(prompt)), { maxNewTokens: 6, temperature: 0.8, topK: 5, seed: 11 }).slice(
        2,
      ),
    );
    expect(await sampler.sample(prompt, settings)).toBe(expected);
    const ex = await generateFromModel(sampler, [prompt], { sampling: settings });
    expect(ex[0].text).toBe(prompt + expected);
    expect(ex[0].provenance).toMatchObject({
      method: "model",
      model: "test model",
      sampling: { temperature: 0.8, topK: 5, maxTokens: 6, seed: 11 },
    });
  });

  it("cuts the completion before the first stop string", async () => {
    const sampler = gptSampler(model, vocab, { name: "m" });
    const free = await sampler.sample("a", { maxTokens: 30, seed: 2, temperature: 1 });
    const stop = free.slice(3, 4);
    const cut = await sampler.sample("a", { maxTokens: 30, seed: 2, temperature: 1, stop: [stop] });
    expect(cut).toBe(free.slice(0, free.indexOf(stop)));
  });
});
