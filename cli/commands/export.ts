// `llmlab export gguf --checkpoint DIR --type f32|f16|q8_0|q4_0 --out FILE`: a training
// checkpoint (src/train: state.json + model.safetensors) as a GGUF file for ggml/llama.cpp.
import { Command } from "commander";
import { CheckpointLike, EXPORT_TYPES, describeGGUF, exportCheckpointGGUF } from "../../src/quant/export";
import { GGMLType } from "../../src/quant/ggml";

interface Flags {
  checkpoint: string;
  type: string;
  out: string;
  name?: string;
  quiet?: boolean;
}

/** src/train's loadCheckpoint, found at run time (it verifies the sha256 of every file). */
function loadCheckpoint(dir: string): CheckpointLike {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const train = require("../../src/train") as { loadCheckpoint?: (dir: string) => CheckpointLike };
  if (!train.loadCheckpoint) throw new Error("src/train has no loadCheckpoint");
  return train.loadCheckpoint(dir);
}

export function register(program: Command): void {
  const exp = program.command("export").description("export a checkpoint to another format");
  exp
    .command("weights")
    .description("copy a checkpoint without its optimizer state (model.safetensors + state.json): loads, cannot resume")
    .requiredOption("--checkpoint <dir>", "checkpoint directory (state.json, model.safetensors, optimizer.safetensors)")
    .requiredOption("--out <dir>", "the directory to write (files written atomically)")
    .action((flags: { checkpoint: string; out: string }) => {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
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
      if (!(EXPORT_TYPES as readonly string[]).includes(flags.type)) throw new Error(`--type must be one of ${EXPORT_TYPES.join(", ")}, got "${flags.type}"`);
      const s = exportCheckpointGGUF(loadCheckpoint(flags.checkpoint), flags.type as GGMLType, flags.out, flags.name);
      if (flags.quiet) {
        console.log(s.bytes);
        return;
      }
      console.log(`wrote ${s.path}: ${s.bytes} bytes`);
      for (const n of s.notes) console.log(`note: ${n}`);
      for (const line of describeGGUF(s.path)) console.log(line);
    });
}
