// Running our GGUF files in llama.cpp, through node-llama-cpp (a devDependency that ships
// llama.cpp prebuilt for CPUs): tokenize, greedy continuation, per-token log-probabilities.
// The work happens in a child process (llamacpp-worker.ts); this side only spawns it.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

export type LlamaOp =
  | { op: "tokenize"; text: string }
  | { op: "greedy"; prompt: number[]; maxTokens: number; stopAtEos?: boolean }
  | { op: "logprobs"; ids: number[] };

export type LlamaOpResult =
  | { op: "tokenize"; ids: number[] }
  | { op: "greedy"; ids: number[]; seconds: number }
  | { op: "logprobs"; logprobs: number[] };

export interface LlamaJob {
  model: string;
  /** A GGUF LoRA adapter applied over the model (scale 1). */
  lora?: string;
  contextSize: number;
  threads?: number;
  ops: LlamaOp[];
}

export interface LlamaJobResult {
  results: LlamaOpResult[];
  /** The EOS id llama.cpp read from the file (null: none). */
  eos: number | null;
}

/** Why llama.cpp cannot run here, or null when node-llama-cpp is installed. */
export function llamaCppMissing(): string | null {
  // Looked up by hand: the package's exports map has no CommonJS entry for require.resolve.
  const dirs = require.resolve.paths("node-llama-cpp") ?? [];
  if (dirs.some((d) => fs.existsSync(path.join(d, "node-llama-cpp", "package.json")))) return null;
  return "node-llama-cpp is not installed (it is a devDependency: npm install without --omit=dev)";
}

/** The compiled worker (dist/src/quant/llamacpp-worker.js), found from here or from the source tree. */
function workerPath(): string {
  const js = path.join(__dirname, "llamacpp-worker.js");
  if (fs.existsSync(js)) return js;
  const built = path.join(__dirname, "..", "..", "dist", "src", "quant", "llamacpp-worker.js");
  if (fs.existsSync(built)) return built;
  throw new Error(`llama.cpp worker not built: run npm run build (looked for ${js} and ${built})`);
}

/** Runs the ops in one llama.cpp process (the model is loaded once). */
export function runLlamaCpp(job: LlamaJob, timeoutMs = 300_000): Promise<LlamaJobResult> {
  const missing = llamaCppMissing();
  if (missing) return Promise.reject(new Error(missing));
  if (!fs.existsSync(job.model)) return Promise.reject(new Error(`llama.cpp: model file ${job.model} does not exist`));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [workerPath()], {
      stdio: ["pipe", "pipe", "pipe"],
      cwd: path.join(__dirname, "..", ".."),
    });
    let out = "";
    let err = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.stdout.on("data", (d: Buffer) => (out += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (err += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`llama.cpp worker exited with ${code}: ${err.trim().slice(-2000)}`));
      try {
        resolve(JSON.parse(out.trim().split("\n").pop()!) as LlamaJobResult);
      } catch {
        reject(new Error(`llama.cpp worker printed no result: ${out.slice(-500)} ${err.slice(-1000)}`));
      }
    });
    child.stdin.end(JSON.stringify(job));
  });
}
