// `llmlab generate --checkpoint DIR | --gguf FILE --prompt TEXT`: sample a continuation from a
// trained model, with the KV cache (src/model/generate.ts). From a GGUF file the model runs on
// the file's weights, dequantised: what llama.cpp computes with, in our forward.
import { Command } from "commander";
import { initBackend } from "../../src/backend";
import { GPT, generate } from "../../src/model";
import { CheckpointVocab, loadGPT, textCodec } from "../../src/train";
import { gptFromGGUF } from "../../src/quant/gguf-model";
import { loadAdapter } from "../../src/finetune";

interface Flags {
  checkpoint?: string;
  gguf?: string;
  lora?: string;
  prompt: string;
  maxTokens: string;
  temperature: string;
  topK?: string;
  seed: string;
  json?: boolean;
}

function parseNum(flag: string, v: string, ok: (n: number) => boolean, expected: string): number {
  const n = Number(v);
  if (v.trim() === "" || !ok(n)) throw new Error(`${flag} must be ${expected}, got "${v}"`);
  return n;
}

export function register(program: Command): void {
  program
    .command("generate")
    .description("continue a prompt with a trained model (a checkpoint or a GGUF file llmlab exported)")
    .option("--checkpoint <dir>", "checkpoint directory (state.json + model.safetensors)")
    .option("--gguf <file>", "a .gguf file from llmlab export gguf (weights dequantised)")
    .option("--lora <dir>", "with --checkpoint: apply a LoRA adapter from llmlab finetune --method lora")
    .requiredOption("--prompt <text>", "the text to continue")
    .option("--max-tokens <n>", "tokens to generate", "200")
    .option("--temperature <t>", "softmax temperature; 0 is greedy (argmax, deterministic)", "1")
    .option("--top-k <k>", "sample only among the k most likely tokens")
    .option("--seed <s>", "seed of the sampler", "0")
    .option("--json", "print one JSON object: prompt and generated ids, text, tokens/s")
    .action(async (flags: Flags) => {
      if (!!flags.checkpoint === !!flags.gguf) throw new Error("give exactly one of --checkpoint DIR or --gguf FILE");
      if (flags.lora && !flags.checkpoint)
        throw new Error(
          "--lora applies to --checkpoint (the adapter is checked against the checkpoint's weights); for a GGUF base export the adapter with llmlab export gguf-lora and run both in llama.cpp",
        );
      const maxNewTokens = parseNum(
        "--max-tokens",
        flags.maxTokens,
        (n) => Number.isInteger(n) && n >= 0,
        "a non-negative integer",
      );
      const temperature = parseNum(
        "--temperature",
        flags.temperature,
        (n) => Number.isFinite(n) && n >= 0,
        "a number >= 0",
      );
      const topK =
        flags.topK === undefined
          ? undefined
          : parseNum("--top-k", flags.topK, (n) => Number.isInteger(n) && n >= 1, "a positive integer");
      const seed = parseNum("--seed", flags.seed, (n) => Number.isInteger(n) && n >= 0, "a non-negative integer");
      await initBackend();
      let model: GPT;
      let vocab: CheckpointVocab | undefined;
      if (flags.gguf) ({ model, vocab } = gptFromGGUF(flags.gguf));
      else ({ model, vocab } = loadGPT(flags.checkpoint!));
      try {
        if (!vocab)
          throw new Error(`${flags.gguf ?? flags.checkpoint} has no vocabulary, so a text prompt cannot be encoded`);
        const codec = textCodec(vocab);
        const prompt = Array.from(codec.encode(flags.prompt));
        if (prompt.length === 0) throw new Error("--prompt must not be empty");
        const t0 = performance.now();
        const opts = { maxNewTokens, temperature, topK, seed, stopAt: codec.eot };
        let ids: number[];
        if (flags.lora) {
          const lora = loadAdapter(flags.lora, model);
          try {
            ids = lora.withModel((m) => generate(m, prompt, opts));
          } finally {
            lora.dispose();
          }
        } else ids = generate(model, prompt, opts);
        const seconds = (performance.now() - t0) / 1000;
        const out = ids.slice(prompt.length);
        const text = codec.decode(out.filter((t) => t !== codec.eot));
        if (flags.json) console.log(JSON.stringify({ prompt, ids: out, text, tokensPerSec: out.length / seconds }));
        else console.log(flags.prompt + text);
      } finally {
        model.dispose();
      }
    });
}
