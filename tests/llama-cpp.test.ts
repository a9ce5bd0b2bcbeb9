// Our GGUF files in llama.cpp (node-llama-cpp's prebuilt CPU build), for both kinds of model
// the course trains: the char-level baby GPT and one on a byte-level BPE tokenizer from
// `llmlab tokenizer train`. llama.cpp must tokenize held-out text to our ids, continue a prompt
// greedily exactly as `llmlab generate --temperature 0` does, give the same per-token
// log-probabilities (f32), and, on quantised files, the perplexity our forward gets on the
// same dequantised weights. Needs `npm run build` (the CLI and the llama.cpp worker run from
// dist/); skipped with a message where node-llama-cpp is not installed.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { sotuText } from "../src/tokenize";
import { textCodec, TextCodec } from "../src/train";
import { gptFromGGUF } from "../src/quant/gguf-model";
import { llamaCppMissing, runLlamaCpp } from "../src/quant/llamacpp";
import { llamaLogProbs, ourLogProbs, perplexityOf } from "../src/quant/llamacpp-compare";
import { GGMLType } from "../src/quant/ggml";

/** ggml types checked in llama.cpp on the course-width models; the k-quants have their own 256-wide model below. */
export const LLAMA_CPP_TYPES: GGMLType[] = ["f32", "q8_0", "q4_0"];

const ROOT = path.join(__dirname, "..");
const CLI = path.join(ROOT, "dist", "cli", "llmlab.js");
const missing = llamaCppMissing() ?? (fs.existsSync(CLI) ? null : `${CLI} is not built (npm run build)`);
if (missing) console.warn(`llama.cpp tests skipped: ${missing}`);
const maybe = missing ? describe.skip : describe;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmlab-llamacpp-"));
const llmlab = (...args: string[]): string =>
  execFileSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 1 << 26,
  });
/** `llmlab generate --temperature 0 --json` (greedy decoding) of the model that `model` names. */
const greedy = (prompt: string, maxTokens: number, ...model: string[]): { prompt: number[]; ids: number[] } =>
  JSON.parse(
    llmlab("generate", ...model, "--prompt", prompt, "--temperature", "0", "--max-tokens", String(maxTokens), "--json"),
  );

// Width 64: rows of 64 are whole q8_0/q4_0 blocks. Context 128 holds a prompt and 64 new tokens.
const MODEL = {
  blockSize: 128,
  nLayer: 2,
  nHead: 2,
  nEmbd: 64,
  dropout: 0,
  bias: false,
  positional: "learned",
  tieWeights: true,
};
const TRAIN = {
  batchSize: 8,
  maxIters: 150,
  lr: 3e-3,
  minLr: 3e-4,
  warmupIters: 10,
  lrDecayIters: 150,
  beta2: 0.99,
  evalInterval: 150,
  evalIters: 2,
};

const text = sotuText(120_000);
const textFile = path.join(dir, "train.txt");
const heldOut = sotuText(140_000).slice(text.length); // text the tokenizer and the models never saw
fs.writeFileSync(textFile, text);
fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify({ name: "llamacpp-test", model: MODEL, train: TRAIN }));

interface Kind {
  name: "char" | "bpe";
  ckpt: string;
  codec?: TextCodec;
}
const KINDS: Kind[] = [
  { name: "char", ckpt: path.join(dir, "char") },
  { name: "bpe", ckpt: path.join(dir, "bpe") },
];
const gguf = (k: Kind, type: GGMLType): string => path.join(dir, `${k.name}-${type}.gguf`);
const PROMPT = "The Congress";

/** Held-out text the model can encode: a character vocabulary has only the training text's characters. */
function heldOutFor(k: Kind): string {
  if (k.codec!.vocab.kind !== "char") return heldOut;
  const known = new Set(k.codec!.vocab.chars);
  return Array.from(heldOut)
    .filter((c) => known.has(c))
    .join("");
}

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

maybe("our GGUF files in llama.cpp", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
    llmlab("tokenizer", "train", "--vocab", "512", "--in", textFile, "--out", path.join(dir, "tokenizer.json"));
    for (const k of KINDS) {
      const extra = k.name === "bpe" ? ["--tokenizer", path.join(dir, "tokenizer.json")] : [];
      llmlab(
        "train",
        "--config",
        path.join(dir, "config.json"),
        "--text",
        textFile,
        "--out",
        k.ckpt,
        "--sample",
        "0",
        ...extra,
      );
      for (const type of LLAMA_CPP_TYPES)
        llmlab("export", "gguf", "--checkpoint", k.ckpt, "--type", type, "--out", gguf(k, type), "--quiet");
      const { model, vocab } = gptFromGGUF(gguf(k, "f32"));
      model.dispose();
      k.codec = textCodec(vocab!);
    }
  }, 600_000);

  describe.each(KINDS)("$name model", (k) => {
    test("llama.cpp tokenizes held-out text to our ids", async () => {
      const sample = heldOutFor(k).slice(0, 4000);
      const ours = Array.from(k.codec!.encode(sample));
      const r = await runLlamaCpp({
        model: gguf(k, "f32"),
        contextSize: MODEL.blockSize,
        ops: [{ op: "tokenize", text: sample }],
      });
      const theirs = r.results[0].op === "tokenize" ? r.results[0].ids : [];
      expect(theirs.length).toBe(ours.length);
      expect(theirs).toEqual(ours);
      // The BPE model's end of text is llama.cpp's EOS; the char model has none.
      expect(r.eos).toBe(k.name === "bpe" ? k.codec!.eot : null);
    });

    test("f32: llama.cpp's greedy continuation (64 tokens) is llmlab generate --temperature 0's", async () => {
      const prompt = Array.from(k.codec!.encode(PROMPT));
      const fromFile = greedy(PROMPT, 64, "--gguf", gguf(k, "f32"));
      const fromCkpt = greedy(PROMPT, 64, "--checkpoint", k.ckpt);
      const r = await runLlamaCpp({
        model: gguf(k, "f32"),
        contextSize: MODEL.blockSize,
        ops: [{ op: "greedy", prompt, maxTokens: 64, stopAtEos: true }],
      });
      const theirs = r.results[0].op === "greedy" ? r.results[0].ids : [];
      expect(fromFile.prompt).toEqual(prompt);
      expect(fromFile.ids.length).toBeGreaterThan(k.name === "char" ? 63 : 0);
      expect(theirs).toEqual(fromFile.ids);
      expect(fromCkpt.ids).toEqual(fromFile.ids);
    }, 120_000);

    test("f32: per-token log-probabilities over held-out text agree to 1e-3", async () => {
      const ids = Array.from(k.codec!.encode(heldOutFor(k))).slice(0, 6 * MODEL.blockSize);
      const { model } = gptFromGGUF(gguf(k, "f32"));
      const ours = ourLogProbs(model, ids);
      model.dispose();
      const theirs = await llamaLogProbs(gguf(k, "f32"), ids, MODEL.blockSize);
      expect(theirs.length).toBe(ours.length);
      const maxDiff = Math.max(...ours.map((x, i) => Math.abs(x - theirs[i])));
      console.log(
        `${k.name} f32: ${fs.statSync(gguf(k, "f32")).size} bytes, max |log p ours - log p llama.cpp| = ${maxDiff.toExponential(2)} over ${ours.length} tokens; perplexity llama.cpp ${perplexityOf(theirs).toFixed(4)}, ours ${perplexityOf(ours).toFixed(4)}`,
      );
      expect(maxDiff).toBeLessThan(1e-3);
    }, 120_000);

    test.each(LLAMA_CPP_TYPES.filter((t) => t !== "f32"))(
      "%s: llama.cpp's perplexity equals ours on the same dequantised weights within 0.1%%",
      async (type) => {
        const ids = Array.from(k.codec!.encode(heldOutFor(k))).slice(0, 6 * MODEL.blockSize);
        const { model } = gptFromGGUF(gguf(k, type));
        const ours = perplexityOf(ourLogProbs(model, ids));
        model.dispose();
        const theirs = perplexityOf(await llamaLogProbs(gguf(k, type), ids, MODEL.blockSize));
        console.log(
          `${k.name} ${type}: ${fs.statSync(gguf(k, type)).size} bytes, perplexity llama.cpp ${theirs.toFixed(4)}, ours ${ours.toFixed(4)}`,
        );
        expect(Math.abs(theirs / ours - 1)).toBeLessThan(1e-3);
      },
      120_000,
    );
  });
});

maybe("characters of several UTF-8 bytes", () => {
  test("llama.cpp tokenizes them to our character ids (the merges inside each character)", async () => {
    const { GPT } = await import("../src/model");
    const { modelCheckpoint, exportCheckpointGGUF } = await import("../src/quant/export");
    await tf.setBackend("cpu");
    const chars = ["\n", " ", "a", "b", "é", "—", "€", "😀", "ü", "ß"];
    const model = new GPT({ vocabSize: chars.length, blockSize: 32, nLayer: 1, nHead: 2, nEmbd: 32 });
    const file = path.join(dir, "utf8.gguf");
    exportCheckpointGGUF(modelCheckpoint(model, chars), "f32", file);
    model.dispose();
    const sample = "ab é—€ 😀😀ü\nßa é";
    const ours = Array.from(sample, (c) => chars.indexOf(c));
    const r = await runLlamaCpp({ model: file, contextSize: 32, ops: [{ op: "tokenize", text: sample }] });
    expect(r.results[0].op === "tokenize" && r.results[0].ids).toEqual(ours);
  }, 120_000);
});

maybe("a LoRA adapter in llama.cpp (llmlab export gguf-lora over the base's GGUF)", () => {
  const base = path.join(dir, "lora-base");
  const adapter = path.join(dir, "lora-adapter");
  const baseFile = path.join(dir, "lora-base-f32.gguf");
  const loraFile = path.join(dir, "lora.gguf");
  const prompt = "The Congress";
  beforeAll(async () => {
    await tf.setBackend("cpu");
    // q and v are column blocks of llama.cpp's fused attn_qkv; mlp.c_fc a whole tensor.
    llmlab(
      "finetune",
      "--base",
      base,
      "--pretrain",
      "--task",
      "qa",
      "--method",
      "lora",
      "--targets",
      "q,v,mlp.c_fc",
      "--iters",
      "30",
      "--out",
      adapter,
    );
    llmlab("export", "gguf", "--checkpoint", base, "--type", "f32", "--out", baseFile, "--quiet");
    llmlab("export", "gguf-lora", "--adapter", adapter, "--base", base, "--out", loraFile, "--quiet");
  }, 600_000);

  test("adapted greedy output equals llmlab generate --lora's", async () => {
    const ours = greedy(prompt, 32, "--checkpoint", base, "--lora", adapter);
    const r = await runLlamaCpp({
      model: baseFile,
      lora: loraFile,
      contextSize: 48,
      ops: [{ op: "greedy", prompt: ours.prompt, maxTokens: 32 }],
    });
    expect(r.results[0].op === "greedy" && r.results[0].ids).toEqual(ours.ids);
  }, 120_000);

  test("adapted per-token log-probabilities agree with ours, and the adapter changes them", async () => {
    const { loadGPT } = await import("../src/train");
    const { loadAdapter } = await import("../src/finetune");
    const { model, vocab } = loadGPT(base);
    const ids = Array.from(
      textCodec(vocab!).encode(
        "Who spoke in 1992?\nGeorge Bush\nWho gave the 2011 address?\nBarack Obama\nThe Congress shall meet",
      ),
    );
    const lora = loadAdapter(adapter, model);
    const adapted = lora.withModel((m) => ourLogProbs(m, ids));
    const plain = ourLogProbs(model, ids);
    lora.dispose();
    model.dispose();
    const theirs = await llamaLogProbs(baseFile, ids, 48, loraFile);
    const diff = (a: number[], b: number[]): number => Math.max(...a.map((x, i) => Math.abs(x - b[i])));
    console.log(
      `LoRA: ${fs.statSync(loraFile).size} bytes; max |log p| difference ours vs llama.cpp ${diff(adapted, theirs).toExponential(2)}, adapted vs base ${diff(adapted, plain).toFixed(3)}; perplexity llama.cpp ${perplexityOf(theirs).toFixed(4)}, ours ${perplexityOf(adapted).toFixed(4)}`,
    );
    expect(diff(adapted, plain)).toBeGreaterThan(0.1);
    // Looser than the base's 1e-3: llama.cpp's tanh-approximated GELU against our exact one,
    // through the adapted weights (measured 1.5e-3).
    expect(diff(adapted, theirs)).toBeLessThan(5e-3);
    expect(Math.abs(perplexityOf(theirs) / perplexityOf(adapted) - 1)).toBeLessThan(1e-3);
  }, 120_000);
});

// The k-quants need rows of 256 weights: at the course's widths (<= 128) llama.cpp's rule stores
// most matrices as Q5_0/Q8_0, so this model is 256 wide (every matrix but the 256 x vocab head
// is then really Q4_K/Q6_K), at GPT-2's init scale. Sensitivity: Q4_K and Q6_K of this model
// differ by 0.5% in perplexity (69.17 vs 68.83), llama.cpp and ours on one file by 0.015% at most
// (llama.cpp rounds activations to 8 bits in its k-quant dot products; wider weights than init
// widen that gap: 0.15% at 1.5x), so a block read back wrong shows.
maybe("k-quants (Q4_K, Q6_K) in llama.cpp", () => {
  const chars = Array.from(new Set(Array.from(sotuText(20_000)))).sort();
  const files: Partial<Record<GGMLType, string>> = {};
  let ids: number[] = [];
  beforeAll(async () => {
    const { GPT } = await import("../src/model");
    const { modelCheckpoint, exportCheckpointGGUF } = await import("../src/quant/export");
    await tf.setBackend("cpu");
    const model = new GPT({ vocabSize: chars.length, blockSize: 64, nLayer: 1, nHead: 4, nEmbd: 256 }, { seed: 7 });
    const ck = modelCheckpoint(model, chars);
    model.dispose();
    for (const type of ["q4_k", "q6_k"] as GGMLType[])
      exportCheckpointGGUF(ck, type, (files[type] = path.join(dir, `kquant-${type}.gguf`)));
    const known = new Set(chars);
    ids = Array.from(heldOut)
      .filter((c) => known.has(c))
      .slice(0, 4 * 64)
      .map((c) => chars.indexOf(c));
  }, 120_000);

  test.each(["q4_k", "q6_k"] as GGMLType[])(
    "%s: llama.cpp's perplexity equals ours on the same dequantised weights within 0.1%%",
    async (type) => {
      const { model } = gptFromGGUF(files[type]!);
      const ours = perplexityOf(ourLogProbs(model, ids));
      model.dispose();
      const theirs = perplexityOf(await llamaLogProbs(files[type]!, ids, 64));
      console.log(
        `k-quant ${type}: ${fs.statSync(files[type]!).size} bytes, perplexity llama.cpp ${theirs.toFixed(4)}, ours ${ours.toFixed(4)}`,
      );
      expect(Math.abs(theirs / ours - 1)).toBeLessThan(1e-3);
    },
    120_000,
  );
});
