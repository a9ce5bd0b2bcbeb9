// `llmlab export gguf --checkpoint DIR --type f32|f16|q8_0|q4_0|...|q4_k|q6_k --out FILE`: a training
// checkpoint (src/train: state.json + model.safetensors) as a GGUF file for ggml/llama.cpp.
// `llmlab export hf --checkpoint DIR --out DIR [--tokenizer FILE]`: the same checkpoint as a
// Hugging Face GPT-2 model folder (config.json, model.safetensors, tokenizer files).
import { Command } from "commander";
import { CheckpointLike, EXPORT_TYPES, describeGGUF, exportCheckpointGGUF } from "../../src/quant/export";
import { GGMLType } from "../../src/quant/ggml";
import type { HFTokenizerFiles } from "../../src/train/hf-export";
import { loadTokenizer } from "../../src/tokenize/io";

interface Flags {
  checkpoint: string;
  type: string;
  out: string;
  name?: string;
  quiet?: boolean;
}

/** src/train's loadCheckpoint, found at run time (it verifies the sha256 of every file). */
function loadCheckpoint(dir: string): CheckpointLike {
  const train = require("../../src/train") as { loadCheckpoint?: (dir: string) => CheckpointLike };
  if (!train.loadCheckpoint) throw new Error("src/train has no loadCheckpoint");
  return train.loadCheckpoint(dir);
}

interface LoRAFlags {
  adapter: string;
  base: string;
  out: string;
  quiet?: boolean;
}

export function register(program: Command): void {
  const exp = program.command("export").description("export a checkpoint to another format");
  exp
    .command("weights")
    .description("copy a checkpoint without its optimizer state (model.safetensors + state.json): loads, cannot resume")
    .requiredOption("--checkpoint <dir>", "checkpoint directory (state.json, model.safetensors, optimizer.safetensors)")
    .requiredOption("--out <dir>", "the directory to write (files written atomically)")
    .action((flags: { checkpoint: string; out: string }) => {
      const train = require("../../src/train") as typeof import("../../src/train");
      const r = train.saveWeightsOnly(flags.checkpoint, flags.out);
      console.log(`wrote ${flags.out}: model.safetensors ${r.bytes} bytes, sha256 ${r.sha256}`);
    });
  exp
    .command("gguf")
    .description("write a checkpoint as a GGUF v3 file (llama.cpp's gpt2 architecture)")
    .requiredOption("--checkpoint <dir>", "checkpoint directory (state.json + model.safetensors)")
    .option("--type <type>", `weight type of the matrices: ${EXPORT_TYPES.join(" | ")}`, "f32")
    .requiredOption("--out <file>", "the .gguf file to write (atomically)")
    .option("--name <name>", "general.name prefix", "llmlab")
    .option("--quiet", "print only the file size")
    .action((flags: Flags) => {
      if (!(EXPORT_TYPES as readonly string[]).includes(flags.type))
        throw new Error(`--type must be one of ${EXPORT_TYPES.join(", ")}, got "${flags.type}"`);
      const s = exportCheckpointGGUF(loadCheckpoint(flags.checkpoint), flags.type as GGMLType, flags.out, flags.name);
      if (flags.quiet) {
        console.log(s.bytes);
        return;
      }
      console.log(`wrote ${s.path}: ${s.bytes} bytes`);
      for (const n of s.notes) console.log(`note: ${n}`);
      for (const line of describeGGUF(s.path)) console.log(line);
    });
  exp
    .command("hf")
    .description(
      "write a checkpoint as a Hugging Face GPT-2 model folder (config.json, model.safetensors, tokenizer files)",
    )
    .requiredOption("--checkpoint <dir>", "checkpoint directory (state.json + model.safetensors)")
    .requiredOption("--out <dir>", "the folder to write (created; its files are replaced atomically)")
    .option(
      "--tokenizer <file>",
      "a tokenizer the model was trained with (from `llmlab tokenizer train`); default: the checkpoint's character vocabulary",
    )
    .action((flags: { checkpoint: string; out: string; tokenizer?: string }) => {
      let tok: HFTokenizerFiles | undefined;
      if (flags.tokenizer) {
        const t = loadTokenizer(flags.tokenizer);
        if (t.type !== "bpe")
          throw new Error(
            `--tokenizer: ${flags.tokenizer} is a ${t.type} tokenizer; Hugging Face files are written for BPE tokenizers (a char model uses the checkpoint's vocabulary)`,
          );
        const eos = Object.keys(t.specialTokens).find((k) => k === "<|endoftext|>");
        tok = { tokenizerJSON: t.toJSON(), eosToken: eos };
      }
      // loaded here, not at the top: src/train brings tfjs, which `export gguf` does not need
      const train = require("../../src/train") as typeof import("../../src/train");
      const s = train.exportCheckpointHF(train.loadCheckpoint(flags.checkpoint), flags.out, tok);
      console.log(`wrote ${s.dir}: ${s.files.map((f) => `${f.name} (${f.bytes} bytes)`).join(", ")}`);
      for (const n of s.notes) console.log(`note: ${n}`);
    });
  exp
    .command("gguf-lora")
    .description(
      "write a LoRA adapter (llmlab finetune --method lora) as a GGUF LoRA that llama.cpp applies over the base's GGUF",
    )
    .requiredOption("--adapter <dir>", "adapter directory (adapter_config.json + adapter.safetensors)")
    .requiredOption(
      "--base <dir>",
      "the checkpoint the adapter was fine-tuned from (checked by its weights' fingerprint)",
    )
    .requiredOption("--out <file>", "the .gguf file to write (atomically)")
    .option("--quiet", "print only the file size")
    .action(async (flags: LoRAFlags) => {
      const { initBackend } = await import("../../src/backend");
      const { loadGPT } = await import("../../src/train");
      const { loadAdapter } = await import("../../src/finetune");
      const { exportLoRAGGUF } = await import("../../src/quant/gguf-lora");
      await initBackend();
      const { model } = loadGPT(flags.base);
      try {
        const lora = loadAdapter(flags.adapter, model);
        try {
          if (Object.keys(lora.extra).length)
            throw new Error(
              `adapter ${flags.adapter} carries extra modules (${Object.keys(lora.extra).join(", ")}, e.g. a classification head) that a language-model GGUF has no place for`,
            );
          const arr = (v: { shape: number[]; dataSync(): ArrayLike<number> }) => ({
            shape: [...v.shape],
            data: Float32Array.from(v.dataSync()),
          });
          const adapters = lora.adapters.map((a) => ({
            param: a.param,
            col: a.col,
            cols: a.cols,
            A: arr(a.A),
            B: arr(a.B),
          }));
          const outDims = Object.fromEntries(Object.entries(model.params).map(([k, v]) => [k, v.shape[1] ?? 0]));
          const s = exportLoRAGGUF(adapters, outDims, lora.scale, flags.out);
          if (flags.quiet) console.log(s.bytes);
          else {
            console.log(
              `wrote ${s.path}: ${s.bytes} bytes (apply over the base's GGUF: llama-cli -m base.gguf --lora ${s.path})`,
            );
            for (const t of s.tensors) console.log(`  ${t.name.padEnd(32)} [${t.shape.join(", ")}]`);
          }
        } finally {
          lora.dispose();
        }
      } finally {
        model.dispose();
      }
    });
}
