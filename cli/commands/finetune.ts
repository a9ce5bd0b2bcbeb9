// `llmlab finetune`: adapt a pretrained checkpoint to the spam or QA task, fully or with LoRA.
import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { abortOnFirstSigint } from "../util/interrupt";
import { initBackend } from "../../src/backend";
import {
  spamTask,
  qaTask,
  baseCorpus,
  pretrainBase,
  loadBase,
  fineTune,
  disposeRun,
  Base,
  Method,
  LoRATarget,
  FtProgress,
} from "../../src/finetune";

interface FinetuneFlags {
  base: string;
  task: string;
  method: string;
  rank?: string;
  alpha?: string;
  targets?: string;
  iters?: string;
  lr?: string;
  batchSize?: string;
  freezeLayers?: string;
  freezeEmbeddings?: boolean;
  seed?: string;
  out?: string;
  pretrain?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command("finetune")
    .description("fine-tune a pretrained GPT on spam-vs-ham or SOTU questions, fully or with LoRA adapters")
    .requiredOption("--base <dir>", "checkpoint directory of the pretrained model")
    .requiredOption("--task <spam|qa>", "spam: SpamAssassin classification; qa: 'Who gave the 1830 address?'")
    .requiredOption("--method <full|lora>", "train every weight, or only low-rank adapters")
    .option("--rank <r>", "LoRA rank (default 8)")
    .option("--alpha <a>", "LoRA alpha; the update is scaled by alpha/rank (default 8)")
    .option("--targets <list>", "LoRA targets, comma-separated: q,k,v,attn.c_proj,mlp.c_fc,mlp.c_proj (default q,v)")
    .option("--iters <n>", "optimizer steps (default 100)")
    .option("--lr <x>", "peak learning rate (default 1e-3 full, 1e-2 lora)")
    .option("--batch-size <n>", "examples per step (default 16)")
    .option("--freeze-layers <n>", "full only: keep the first n blocks frozen")
    .option("--freeze-embeddings", "full only: keep token and position embeddings frozen")
    .option("--seed <n>", "seed of the data split and the run (default 0)")
    .option("--out <dir>", "save the adapter (lora) or the fine-tuned checkpoint (full) here")
    .option("--pretrain", "if --base holds no checkpoint, pretrain a CI-size base there first (SOTU + email text)")
    .option("--json", "end the output with one JSON line of metrics")
    .action(async (flags: FinetuneFlags) => {
      await finetuneCommand(flags);
    });
}

function num(flag: string, v: string | undefined, opts: { int?: boolean; min?: number } = {}): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || (opts.int && !Number.isInteger(n)) || n < (opts.min ?? -Infinity)) {
    throw new Error(
      `${flag} must be ${opts.int ? "an integer" : "a number"}${opts.min !== undefined ? ` >= ${opts.min}` : ""}, got "${v}"`,
    );
  }
  return n;
}

async function finetuneCommand(f: FinetuneFlags): Promise<void> {
  if (f.task !== "spam" && f.task !== "qa") throw new Error(`--task must be spam or qa, got "${f.task}"`);
  if (f.method !== "full" && f.method !== "lora") throw new Error(`--method must be full or lora, got "${f.method}"`);
  const method = f.method as Method;
  const loraFlags = f.rank !== undefined || f.alpha !== undefined || f.targets !== undefined;
  if (method === "full" && loraFlags) throw new Error("--rank, --alpha and --targets apply to --method lora only");
  if (method === "lora" && (f.freezeLayers !== undefined || f.freezeEmbeddings))
    throw new Error(
      "--freeze-layers and --freeze-embeddings apply to --method full only (LoRA freezes the whole base)",
    );
  const seed = num("--seed", f.seed, { int: true, min: 0 }) ?? 0;
  const config = {
    seed,
    ...(f.iters !== undefined && { maxIters: num("--iters", f.iters, { int: true, min: 1 }) }),
    ...(f.lr !== undefined && { lr: num("--lr", f.lr, { min: 0 }) }),
    ...(f.batchSize !== undefined && { batchSize: num("--batch-size", f.batchSize, { int: true, min: 1 }) }),
  };
  const lora =
    method === "lora"
      ? {
          ...(f.rank !== undefined && { rank: num("--rank", f.rank, { int: true, min: 1 }) }),
          ...(f.alpha !== undefined && { alpha: num("--alpha", f.alpha, { min: 0 }) }),
          ...(f.targets !== undefined && { targets: f.targets.split(",").map((s) => s.trim()) as LoRATarget[] }),
        }
      : undefined;
  const freeze =
    method === "full"
      ? { layers: num("--freeze-layers", f.freezeLayers, { int: true, min: 0 }), embeddings: !!f.freezeEmbeddings }
      : undefined;

  const log = (s: string): void => console.log(s);
  const backend = await initBackend();
  const t0 = Date.now();
  const spam =
    f.task === "spam" || (f.pretrain && !fs.existsSync(path.join(f.base, "state.json")))
      ? spamTask({ seed })
      : undefined;
  const task = f.task === "spam" ? spam! : qaTask({ seed });

  const interrupt = abortOnFirstSigint("interrupt: stopping after this step", log);
  let base: Base;
  if (!fs.existsSync(path.join(f.base, "state.json")) && f.pretrain) {
    log(`pretraining a CI-size base into ${f.base} (SOTU + ${spam!.pretrainText.length} training emails)`);
    base = await pretrainBase({
      docs: baseCorpus(spam!.pretrainText),
      dir: f.base,
      signal: interrupt.signal,
      onProgress: (p) =>
        p.kind === "eval" && p.eval && log(`  pretrain step ${p.eval.iter}: val loss ${p.eval.valLoss.toFixed(3)}`),
    });
  } else {
    base = loadBase(f.base);
  }
  const m = base.model;
  log(
    `backend ${backend.name}; base ${f.base}: ${m.paramCount()} parameters, vocab ${base.vocab.size}; task ${task.name} (${task.train.length} train, ${task.val.length} val, ${task.test.length} test); method ${method}`,
  );

  const onProgress = (p: FtProgress): void => {
    if (p.kind === "eval" && p.eval) {
      const e = p.eval;
      log(
        `step ${e.iter}: train loss ${e.trainLoss.toFixed(4)}, val loss ${e.valLoss.toFixed(4)}${e.valAccuracy !== undefined ? `, val accuracy ${(100 * e.valAccuracy).toFixed(1)}%` : ""}`,
      );
    }
  };
  const run = await fineTune({
    base,
    task,
    method,
    lora,
    freeze,
    config,
    out: f.out,
    signal: interrupt.signal,
    onProgress,
  });
  interrupt.release();
  const r = run.report;
  log(
    `trainable ${r.trainableParams} of ${r.baseParams} parameters (${(100 * r.trainableFraction).toFixed(2)}%); optimizer state ${r.optimizerBytes} bytes; ${r.msPerStep.toFixed(1)} ms/step over ${r.steps} steps (${r.stopReason})`,
  );
  if (r.test.accuracy !== undefined)
    log(`test accuracy ${(100 * r.test.accuracy).toFixed(1)}% (${task.test.length} emails, balanced: chance 50%)`);
  if (r.test.exactMatch !== undefined)
    log(
      `test exact match ${(100 * r.test.exactMatch).toFixed(1)}% (${task.test.length} questions about held-out years)`,
    );
  for (const s of r.samples.slice(0, 3))
    log(`  ${JSON.stringify(s.prompt)} -> ${JSON.stringify(s.got)} (expected ${JSON.stringify(s.expected)})`);
  if (r.savedFile) log(`saved ${r.savedFile} (${r.savedBytes} bytes)`);
  const seconds = (Date.now() - t0) / 1000;
  if (f.json) {
    console.log(
      JSON.stringify({
        task: r.task,
        method: r.method,
        trainableParams: r.trainableParams,
        baseParams: r.baseParams,
        trainableFraction: r.trainableFraction,
        optimizerBytes: r.optimizerBytes,
        msPerStep: r.msPerStep,
        steps: r.steps,
        stopReason: r.stopReason,
        testLoss: r.test.loss,
        accuracy: r.test.accuracy ?? null,
        exactMatch: r.test.exactMatch ?? null,
        lastEval: r.evals.at(-1) ?? null,
        savedBytes: r.savedBytes ?? null,
        seconds,
        backend: backend.name,
      }),
    );
  }
  disposeRun(run, base);
  m.dispose();
}
