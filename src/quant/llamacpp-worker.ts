// Child process behind llamacpp.ts: loads a GGUF file in llama.cpp (node-llama-cpp, CPU) and
// answers a list of requests as one JSON line on stdout. A child process because
// node-llama-cpp is an ES module with top-level await, which neither our CommonJS build nor
// jest's module sandbox can load in-process.
import type { ControlledEvaluateInputItem, Token } from "node-llama-cpp";
import type { LlamaJob, LlamaJobResult, LlamaOp, LlamaOpResult } from "./llamacpp";

const tokens = (ids: number[]): Token[] => ids as unknown as Token[]; // node-llama-cpp brands its ids

// A real import() (TypeScript's CommonJS output would turn a plain one into require()).
const importESM = new Function("s", "return import(s)") as (s: string) => Promise<typeof import("node-llama-cpp")>;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function main(): Promise<void> {
  const job = JSON.parse(await readStdin()) as LlamaJob;
  const nlc = await importESM("node-llama-cpp");
  const llama = await nlc.getLlama({ gpu: false, build: "never", logLevel: nlc.LlamaLogLevel.error, vramPadding: 0 });
  const model = await llama.loadModel({ modelPath: job.model, gpuLayers: 0 });
  const ctx = await model.createContext({
    contextSize: job.contextSize,
    batchSize: job.contextSize,
    sequences: 1,
    threads: job.threads ?? 1,
    lora: job.lora ? { adapters: [{ filePath: job.lora, scale: 1 }] } : undefined,
  });
  const seq = ctx.getSequence();
  const vocab = model.tokens;
  const results: LlamaOpResult[] = [];
  // Every sampler stage off: the probabilities are the softmax of the logits.
  const plain = { temperature: 1, topK: 0, topP: 1, minP: 0 };
  const run = async (op: LlamaOp): Promise<LlamaOpResult> => {
    await seq.clearHistory();
    switch (op.op) {
      case "tokenize":
        return { op: "tokenize", ids: Array.from(model.tokenize(op.text, false)) };
      case "greedy": {
        const ids: number[] = [];
        const t0 = performance.now();
        for await (const t of seq.evaluate(tokens(op.prompt), { temperature: 0 })) {
          ids.push(t);
          // Our sampler stops after drawing <|endoftext|>; stop at the same place.
          if (ids.length >= op.maxTokens || (op.stopAtEos && t === vocab.eos)) break;
        }
        return { op: "greedy", ids, seconds: (performance.now() - t0) / 1000 };
      }
      case "logprobs": {
        const ids = tokens(op.ids);
        const input: ControlledEvaluateInputItem[] = ids.map((t, i) =>
          i < ids.length - 1 ? [t, { generateNext: { probabilities: true, options: plain } }] : t,
        );
        const out = await seq.controlledEvaluate(input);
        const logprobs: number[] = [];
        for (let i = 0; i < op.ids.length - 1; i++) {
          const p = out[i]?.next.probabilities?.get(ids[i + 1]);
          if (p === undefined) throw new Error(`llama.cpp gave no probability for position ${i}`);
          logprobs.push(Math.log(p));
        }
        return { op: "logprobs", logprobs };
      }
    }
  };
  for (const op of job.ops) results.push(await run(op));
  const answer: LlamaJobResult = { results, eos: vocab.eos ?? null };
  process.stdout.write(JSON.stringify(answer) + "\n");
  await ctx.dispose();
  await model.dispose();
  await llama.dispose();
}

main().catch((e: unknown) => {
  process.stderr.write(`llama.cpp worker: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
