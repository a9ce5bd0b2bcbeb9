// The pretrained model that fine-tuning starts from: either a checkpoint directory (from
// `llmlab train` or an earlier pretrainBase) or a small GPT pretrained here, with src/train's
// Trainer, on State of the Union addresses plus email text (the two domains of our tasks).
import * as fs from "fs";
import { GPT } from "../model/gpt";
import { GPTConfig } from "../model/config";
import { Trainer, ProgressInfo, RunResult } from "../train/trainer";
import { TrainConfig, defaultTrainConfig } from "../train/config";
import { CharVocab } from "../tokenize/charVocab";
import { sotuAddresses } from "../data/sources/sotu";
import { loadGPT } from "../train/checkpoint";
import { asciiVocab, toAscii, encodeLossy } from "./text";
import { qaFacts } from "./tasks";

/** CI size: trains in well under a minute on two cores; the comments give the full size. */
export const baseModelConfig: Omit<GPTConfig, "vocabSize"> = {
  blockSize: 48, // 128
  nLayer: 2, // 4
  nHead: 2, // 4
  nEmbd: 32, // 128
  dropout: 0,
  bias: false,
  positional: "learned",
  tieWeights: true,
};

export const baseTrainConfig: TrainConfig = {
  ...defaultTrainConfig,
  batchSize: 8, // 16
  maxIters: 120, // 2000
  lr: 1e-2, // 1e-3 (a tiny model for a few steps takes a large rate; 3e-3 ended 0.1 nats worse)
  minLr: 1e-3, // 1e-4
  warmupIters: 10,
  lrDecayIters: 120,
  beta2: 0.99,
  weightDecay: 0.1,
  evalInterval: 40,
  evalIters: 2,
  seed: 1337,
};

/**
 * The pretraining documents: each SOTU address under a title line ("1830 State of the Union,
 * Andrew Jackson"), cut to `sotuChars`, and the given email excerpts. The titles are how the
 * base may meet the facts the QA task asks about, as an LLM meets facts in web text; the
 * question/answer format itself it only sees when fine-tuned.
 */
export function baseCorpus(emails: string[], opts: { sotuChars?: number } = {}): string[] {
  const sotuChars = opts.sotuChars ?? 1500;
  const single = new Set(qaFacts().map((f) => f.year));
  const docs = sotuAddresses().map(
    (d) =>
      `${d.year} State of the Union, ${single.has(d.year) ? toAscii(d.name).trim() : "two addresses"}\n${toAscii(d.text).trim().slice(0, sotuChars)}`,
  );
  return [...docs, ...emails.map((e) => toAscii(e))];
}

export interface Base {
  model: GPT;
  vocab: CharVocab;
  /** The pretraining run (absent when loaded from a directory). */
  trainer?: Trainer;
  result?: RunResult;
}

/**
 * Pretrains a base GPT with src/train's Trainer on the corpus (every 10th document
 * validates). Saves a checkpoint to `dir` when given. Character vocabulary: printable ASCII.
 */
export async function pretrainBase(o: {
  docs: string[];
  model?: Partial<Omit<GPTConfig, "vocabSize">>;
  train?: Partial<TrainConfig>;
  dir?: string;
  signal?: AbortSignal;
  onProgress?: (p: ProgressInfo) => void;
}): Promise<Base> {
  if (o.docs.length < 2) throw new Error(`pretrainBase: need at least 2 documents, got ${o.docs.length}`);
  const vocab = asciiVocab();
  const train = { ...baseTrainConfig, ...(o.train ?? {}) };
  if (o.train?.maxIters !== undefined && o.train.lrDecayIters === undefined) train.lrDecayIters = o.train.maxIters;
  const model = new GPT({ ...baseModelConfig, ...(o.model ?? {}), vocabSize: vocab.size }, { seed: train.seed });
  const enc = o.docs.map((d) => encodeLossy(vocab, d));
  const data = { train: enc.filter((_, i) => i % 10 !== 9), val: enc.filter((_, i) => i % 10 === 9) };
  const trainer = new Trainer({ model, config: train, data, vocab: { kind: "char", chars: vocab.chars } });
  const result = await trainer.run({ signal: o.signal, onProgress: o.onProgress, checkpointDir: o.dir });
  return { model, vocab, trainer, result };
}

/** A base from a checkpoint directory (its own character vocabulary). */
export function loadBase(dir: string): Base {
  if (!fs.existsSync(dir)) throw new Error(`--base: ${dir} does not exist`);
  const { model, vocab } = loadGPT(dir);
  if (!vocab || vocab.kind !== "char") {
    model.dispose();
    throw new Error(
      `--base: checkpoint ${dir} has no character vocabulary (state.json vocab); fine-tuning encodes its tasks character by character`,
    );
  }
  return { model, vocab: new CharVocab(vocab.chars) };
}
