// bench:generate — tokens/s of `llmlab generate` (our GPT with its KV cache, batch 1, greedy)
// against llama.cpp (node-llama-cpp, CPU) on the same GGUF files, f32, q8_0 and q4_0, in one run.
// The ratio is ours / llama.cpp. Both count the prompt's prefill and every new token; each
// side's figure is the best of --reps runs (the run least disturbed by other work on a shared
// machine, as timeit advises). llama.cpp runs with --threads threads (default 1;
// this machine is shared). `--checkpoint DIR` benches a trained model, else a baby-GPT-shaped
// one with its initial weights (speed does not depend on what the weights learned).
// `--json` prints one JSON object.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { initBackend } from "../src/backend";
import { GPT, generate } from "../src/model";
import { loadCheckpoint } from "../src/train";
import { CheckpointLike, exportCheckpointGGUF, modelCheckpoint } from "../src/quant/export";
import { gptFromGGUF } from "../src/quant/gguf-model";
import { llamaCppMissing, runLlamaCpp } from "../src/quant/llamacpp";

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
};
const best = (xs: number[]): number => Math.max(...xs);

interface Row {
  format: string;
  fileBytes: number;
  tokens: number;
  llmlabTokensPerSec: number;
  llamaCppTokensPerSec: number;
  ratio: number;
}

async function main(): Promise<void> {
  const json = process.argv.includes("--json");
  const reps = Number(arg("--reps", "3"));
  const threads = Number(arg("--threads", "1"));
  const missing = llamaCppMissing();
  if (missing) throw new Error(`bench:generate needs llama.cpp: ${missing}`);
  const backend = await initBackend();
  const ckptDir = process.argv.includes("--checkpoint") ? arg("--checkpoint", "") : "";
  let ckpt: CheckpointLike;
  if (ckptDir) ckpt = loadCheckpoint(ckptDir);
  else {
    // nanoGPT's baby GPT shape (block 64, 4 layers, 4 heads, width 128) over 65 characters.
    const chars = Array.from({ length: 65 }, (_, i) => String.fromCharCode(i === 0 ? 10 : 31 + i));
    const m = new GPT({ vocabSize: chars.length, blockSize: 64, nLayer: 4, nHead: 4, nEmbd: 128 });
    ckpt = modelCheckpoint(m, chars);
    m.dispose();
  }
  const T = ckpt.state.model.blockSize;
  const newTokens = T - 1; // a one-token prompt and a full window
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmlab-bench-generate-"));
  const rows: Row[] = [];
  try {
    for (const format of ["f32", "q8_0", "q4_0"] as const) {
      const file = path.join(dir, `${format}.gguf`);
      const { bytes } = exportCheckpointGGUF(ckpt, format, file);
      const { model } = gptFromGGUF(file);
      const ours: number[] = [];
      generate(model, [0], { maxNewTokens: 8, temperature: 0 }); // warm-up
      for (let r = 0; r < reps; r++) {
        const t0 = performance.now();
        const ids = generate(model, [0], { maxNewTokens: newTokens, temperature: 0 });
        ours.push((ids.length - 1) / ((performance.now() - t0) / 1000));
      }
      model.dispose();
      const ops = Array.from({ length: reps + 1 }, () => ({
        op: "greedy" as const,
        prompt: [0],
        maxTokens: newTokens,
      }));
      const res = await runLlamaCpp({ model: file, contextSize: T, threads, ops });
      const theirs = res.results.slice(1).map((x) => (x.op === "greedy" ? x.ids.length / x.seconds : NaN)); // the first run warms up
      const row: Row = {
        format,
        fileBytes: bytes,
        tokens: newTokens,
        llmlabTokensPerSec: best(ours),
        llamaCppTokensPerSec: best(theirs),
        ratio: best(ours) / best(theirs),
      };
      rows.push(row);
      if (!json)
        console.log(
          `${format.padEnd(5)} ${String(bytes).padStart(9)} bytes  llmlab ${row.llmlabTokensPerSec.toFixed(1).padStart(7)} tok/s  llama.cpp ${row.llamaCppTokensPerSec.toFixed(1).padStart(7)} tok/s  ratio ${row.ratio.toFixed(3)}`,
        );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const summary = { backend: backend.name, llamaCppThreads: threads, reps, model: ckpt.state.model, rows };
  if (json) console.log(JSON.stringify(summary));
  else
    console.log(
      `ratio = llmlab tokens/s / llama.cpp tokens/s (backend ${backend.name}; llama.cpp ${threads} thread${threads === 1 ? "" : "s"}; best of ${reps})`,
    );
}

main().catch((e: unknown) => {
  console.error(`bench:generate: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
