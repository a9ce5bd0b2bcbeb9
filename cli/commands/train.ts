// `llmlab train`: pretrain a GPT on a text file or JSONL shards, nanoGPT-style.
import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { abortOnFirstSigint } from "../util/interrupt";
import { initBackend } from "../../src/backend";
import { GPT, generate } from "../../src/model";
import {
  Trainer,
  fullLoss,
  loadRunConfig,
  trainValSplit,
  readTextFile,
  readJsonlShards,
  bytesPerToken,
  TrainData,
  TextSplit,
  ProgressInfo,
  CheckpointVocab,
  TextCodec,
  textCodec,
} from "../../src/train";
import { BPETokenizer, loadTokenizer, toHFTokenizerJSON } from "../../src/tokenize";
import { CharVocab } from "../../src/tokenize/charVocab";

interface TrainFlags {
  config: string;
  text?: string;
  data?: string;
  iters?: string;
  evalInterval?: string;
  out?: string;
  resume?: boolean;
  tokenizer?: string;
  sample?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command("train")
    .description("pretrain a GPT by next-token prediction (a character vocabulary built from the data)")
    .requiredOption("--config <name|file>", "preset (baby, small, tiny) or a JSON file {model, train}")
    .option("--text <file>", "a plain text file; split 90/10 into train/val")
    .option("--data <dir>", "a folder of JSONL shards with a `text` field (files named *val* are the val split)")
    .option("--iters <n>", "optimizer steps (also the end of the cosine decay), overrides the config")
    .option("--eval-interval <n>", "steps between evaluations, overrides the config")
    .option("--out <dir>", "checkpoint directory (default runs/<config name>)")
    .option("--resume", "continue from the checkpoint in --out")
    .option(
      "--tokenizer <file>",
      "a byte-level BPE tokenizer.json (llmlab tokenizer train) instead of a character vocabulary; documents end with <|endoftext|>",
    )
    .option("--sample <n>", "characters to sample at the end (default 200, 0 for none)")
    .option("--json", "end the output with one JSON line of final metrics")
    .action(async (flags: TrainFlags) => {
      await trainCommand(flags);
    });
}

function positiveInt(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got "${v}"`);
  return n;
}

async function trainCommand(flags: TrainFlags): Promise<void> {
  if (!!flags.text === !!flags.data) throw new Error("give exactly one of --text FILE or --data DIR");
  const iters = positiveInt("--iters", flags.iters);
  const evalInterval = positiveInt("--eval-interval", flags.evalInterval);
  const sampleLen = flags.sample === undefined ? 200 : Number(flags.sample);
  const run = loadRunConfig(flags.config);
  if (iters !== undefined) Object.assign(run.train, { maxIters: iters, lrDecayIters: iters });
  if (evalInterval !== undefined) run.train.evalInterval = evalInterval;
  const out = flags.out ?? path.join("runs", run.name.replace(/[^\w.-]+/g, "_"));

  const backend = await initBackend();
  const t0 = Date.now();
  const split: TextSplit = flags.text ? trainValSplit(readTextFile(flags.text)) : readJsonlShards(flags.data!);
  if (flags.resume && flags.tokenizer)
    throw new Error("--resume uses the checkpoint's own vocabulary; leave out --tokenizer");

  let trainer: Trainer;
  if (flags.resume) {
    if (!fs.existsSync(path.join(out, "state.json"))) throw new Error(`--resume: no checkpoint in ${out}`);
    const saved = JSON.parse(fs.readFileSync(path.join(out, "state.json"), "utf8")) as { vocab?: CheckpointVocab };
    if (!saved.vocab) throw new Error(`--resume: checkpoint ${out} has no vocabulary`);
    trainer = Trainer.resume(out, encode(split, textCodec(saved.vocab)), { maxIters: run.train.maxIters });
  } else {
    const codec = textCodec(
      flags.tokenizer
        ? bpeVocab(flags.tokenizer)
        : { kind: "char", chars: CharVocab.fromText([...split.train, ...split.val].join("")).chars },
    );
    const model = new GPT({ ...run.model, vocabSize: codec.vocabSize }, { seed: run.train.seed });
    trainer = new Trainer({ model, config: run.train, data: encode(split, codec), vocab: codec.vocab });
  }
  const codec = textCodec(trainer.vocab!);
  const m = trainer.model;
  const log = (s: string): void => console.log(s);
  log(
    `backend ${backend.name} (${backend.reason}); config ${run.name}; vocab ${codec.vocabSize} ${codec.vocab.kind === "char" ? "chars" : "BPE tokens"}; ` +
      `${(m.paramCount({ nonEmbedding: true }) / 1e6).toFixed(2)}M parameters; ${trainer.config.maxIters} iters from step ${trainer.step}; checkpoints in ${out}`,
  );

  const interrupt = abortOnFirstSigint(
    "interrupt: stopping after this step and saving a checkpoint (Ctrl-C again to quit now)",
    log,
  );
  const onProgress = (p: ProgressInfo): void => {
    if (p.kind === "eval" && p.eval) {
      log(
        `step ${p.eval.iter}: train loss ${p.eval.trainLoss.toFixed(4)}, val loss ${p.eval.valLoss.toFixed(4)}, val ${p.eval.valBpb.toFixed(3)} bits/byte`,
      );
    } else if (p.kind === "step" && (p.iter % 10 === 0 || p.iter === p.maxIters)) {
      log(
        `iter ${p.iter}: loss ${p.loss!.toFixed(4)}, lr ${p.lr!.toExponential(2)}, |g| ${p.gradNorm!.toFixed(2)}, ${Math.round(p.tokensPerSec)} tokens/s`,
      );
    }
  };
  const r = await trainer.run({
    signal: interrupt.signal,
    onProgress,
    checkpointDir: out,
    checkpointEvery: trainer.config.evalInterval,
  });
  interrupt.release();
  log(`${r.message} (${r.stopReason}); checkpoint ${r.stopReason === "nonfinite" ? "not updated" : "saved"} in ${out}`);
  log(`val loss curve: ${trainer.evals.map((e) => `${e.iter}:${e.valLoss.toFixed(3)}`).join("  ")}`);
  if (sampleLen > 0 && r.stopReason !== "nonfinite") {
    // Start from a newline where the vocabulary has one (id 0 otherwise).
    const nl = codec.vocab.kind === "char" ? [codec.vocab.chars.indexOf("\n")] : Array.from(codec.encode("\n"));
    const ids = generate(m, [nl.length === 1 && nl[0] >= 0 ? nl[0] : 0], {
      maxNewTokens: sampleLen,
      temperature: 0.8,
      topK: 200,
      seed: 0,
      stopAt: codec.eot,
    });
    log(`sample:\n${codec.decode(ids.slice(1))}`);
  }
  const seconds = (Date.now() - t0) / 1000;
  log(`${Math.round(r.tokensPerSec)} tokens/s, ${seconds.toFixed(1)} s`);
  if (flags.json) {
    // Every non-overlapping window of the val split: no random draw, unlike valLoss's 20 batches.
    const valLossFull = r.stopReason === "nonfinite" ? null : fullLoss(m, trainer.data.val);
    console.log(
      JSON.stringify({
        valLoss: r.lastEval?.valLoss ?? null,
        valLossFull,
        trainLoss: r.lastEval?.trainLoss ?? null,
        iters: r.step,
        tokensPerSec: r.tokensPerSec,
        seconds,
        valBpb: r.lastEval?.valBpb ?? null,
        lastStepLoss: r.trainLoss,
        params: m.paramCount({ nonEmbedding: true }),
        backend: backend.name,
        stopReason: r.stopReason,
      }),
    );
  }
  m.dispose();
  if (r.stopReason === "nonfinite") process.exitCode = 1;
}

function encode(split: TextSplit, codec: TextCodec): TrainData {
  // With BPE every document ends with <|endoftext|>, so the model learns where text ends (and
  // generation, here and in llama.cpp, stops there).
  const enc = (d: string): Int32Array => {
    const ids = codec.encode(d);
    if (codec.eot === undefined) return ids;
    const out = new Int32Array(ids.length + 1);
    out.set(ids);
    out[ids.length] = codec.eot;
    return out;
  };
  const val = split.val.map(enc);
  const valTokens = val.reduce((n, d) => n + d.length, 0);
  return { train: split.train.map(enc), val, bytesPerToken: bytesPerToken(split.val, valTokens) };
}

/** A --tokenizer file as a checkpoint vocabulary (stored whole in state.json). */
function bpeVocab(file: string): CheckpointVocab {
  const tok = loadTokenizer(file);
  if (!(tok instanceof BPETokenizer))
    throw new Error(
      `--tokenizer ${file}: expected a byte-level BPE tokenizer.json (llmlab tokenizer train), got a ${tok.type} tokenizer`,
    );
  return { kind: "bpe", tokenizer: toHFTokenizerJSON(tok) };
}
