// Supervised fine-tuning of a pretrained GPT on a Task, two ways with one loop:
//  - full: every weight (minus any frozen ones) is trained, AdamW keeps two moments for each;
//  - lora: the base is frozen and only the adapters' A and B are trained (and have moments).
// The loop uses src/train's parts (AdamW, warmup+cosine schedule, global-norm clipping). It is
// not src/train's Trainer because that one samples contiguous windows of a token stream; here a
// batch is a set of examples and the loss is counted on the answer tokens only.
import * as tf from "@tensorflow/tfjs-core";
import { GPT } from "../model/gpt";
import { Rng } from "../model/rng";
import { createAdamW, decays, Optimizer } from "../train/adamw";
import { lossAndGrads } from "../train/grads";
import { learningRate } from "../train/schedule";
import { clipScale, globalNorm } from "../train/clip";
import { CharVocab } from "../tokenize/charVocab";
import { LoRA, LoRAConfig } from "./lora";
import { Task, Example, shuffledBySeed } from "./tasks";
import { encodeExamples, maskedCrossEntropy, batchTensors, labelIdsOf, classCrossEntropy } from "./batch";
import { labelWordHead, headLogits, HEAD_NAME } from "./head";
import { LanguageModel, scoreExamples, greedyAnswers, exactMatch, classTargets } from "./evaluate";

export type Method = "full" | "lora";

export interface FineTuneConfig {
  batchSize: number;
  maxIters: number;
  lr: number;
  minLr: number;
  warmupIters: number;
  beta1: number;
  beta2: number;
  weightDecay: number;
  gradClip: number;
  evalInterval: number;
  /** Examples of each split scored at every evaluation (the first ones: the same every time). */
  evalExamples: number;
  seed: number;
}

/**
 * Defaults per method. LoRA takes a larger learning rate (Hu et al. use 2e-4..5e-4 where full
 * fine-tuning uses ~1e-5..1e-4 on GPT-2/3): B starts at zero and the update is low-rank.
 */
const fullFineTuneConfig: FineTuneConfig = {
  batchSize: 16,
  maxIters: 100,
  lr: 1e-3,
  minLr: 1e-4,
  warmupIters: 10,
  beta1: 0.9,
  beta2: 0.99,
  weightDecay: 0,
  gradClip: 1,
  evalInterval: 20,
  evalExamples: 64,
  seed: 0,
};
export const defaultFineTuneConfig: Record<Method, FineTuneConfig> = {
  full: fullFineTuneConfig,
  lora: { ...fullFineTuneConfig, lr: 1e-2, minLr: 1e-3 },
};

export interface Freeze {
  /** Keep wte (and so the tied LM head) and wpe fixed. */
  embeddings?: boolean;
  /** Keep the first n transformer blocks fixed. */
  layers?: number;
}

export interface FineTuneOptions {
  model: GPT;
  task: Task;
  vocab: CharVocab;
  method: Method;
  lora?: Partial<LoRAConfig>;
  /** Full fine-tuning only: parameters to leave frozen. */
  freeze?: Freeze;
  config?: Partial<FineTuneConfig>;
}

export interface FtStep {
  iter: number;
  loss: number;
  lr: number;
  ms: number;
}

export interface FtEval {
  iter: number;
  trainLoss: number;
  valLoss: number;
  trainAccuracy?: number;
  valAccuracy?: number;
}

export interface FtProgress {
  kind: "step" | "eval";
  iter: number;
  maxIters: number;
  loss?: number;
  eval?: FtEval;
}

export interface TestResult {
  loss: number;
  /** Classification tasks. */
  accuracy?: number;
  /** Generation tasks. */
  exactMatch?: number;
  predictions: string[];
}

export class FineTuner {
  readonly model: GPT;
  readonly lora?: LoRA;
  readonly task: Task;
  readonly vocab: CharVocab;
  readonly method: Method;
  readonly config: FineTuneConfig;
  readonly optimizer: Optimizer;
  /** What the optimizer updates: base weights (full) or adapters (lora). */
  readonly trainable: Record<string, tf.Variable>;
  readonly history: FtStep[] = [];
  readonly evals: FtEval[] = [];
  /** Bytes the optimizer's state took when it was created (tf.memory() before/after the first step). */
  optimizerBytes = 0;
  step = 0;
  private readonly verbalizer?: { classes: string[]; ids: number[] };
  /** Classification: the head on the last prompt token, started at the label words' embeddings. */
  readonly head?: tf.Variable;
  private order: Example[] = [];
  private cursor = 0;
  private epoch = 0;

  constructor(o: FineTuneOptions) {
    if (o.method !== "full" && o.method !== "lora")
      throw new Error(`FineTuner: method must be "full" or "lora", got ${JSON.stringify(o.method)}`);
    if (o.task.train.length === 0 || o.task.val.length === 0)
      throw new Error(`FineTuner: task ${o.task.name} needs train and val examples`);
    this.model = o.model;
    this.task = o.task;
    this.vocab = o.vocab;
    this.method = o.method;
    this.config = { ...defaultFineTuneConfig[o.method], ...(o.config ?? {}) };
    const c = this.config;
    for (const k of ["batchSize", "evalInterval", "evalExamples"] as const)
      if (!Number.isInteger(c[k]) || c[k] < 1)
        throw new Error(`fine-tune config: ${k} must be a positive integer, got ${c[k]}`);
    for (const k of ["maxIters", "warmupIters", "seed"] as const)
      if (!Number.isInteger(c[k]) || c[k] < 0)
        throw new Error(`fine-tune config: ${k} must be a non-negative integer, got ${c[k]}`);
    if (!(c.lr > 0)) throw new Error(`fine-tune config: lr must be > 0, got ${c.lr}`);
    if (o.method === "lora" && o.freeze)
      throw new Error("FineTuner: freeze is for full fine-tuning; LoRA freezes the whole base already");
    if (o.method === "full" && o.lora) throw new Error("FineTuner: lora options given with method full");
    if (o.task.labels) {
      this.verbalizer = labelIdsOf(o.task.labels, o.vocab);
      this.head = labelWordHead(o.model, this.verbalizer.ids);
    }
    if (o.method === "lora") {
      this.lora = new LoRA(o.model, o.lora);
      if (this.head) this.lora.extra[HEAD_NAME] = this.head;
      this.trainable = this.lora.params;
    } else {
      this.trainable = { ...frozenFilter(o.model, o.freeze ?? {}), ...(this.head && { [HEAD_NAME]: this.head }) };
    }
    if (Object.keys(this.trainable).length === 0)
      throw new Error("FineTuner: nothing left to train (everything frozen)");
    const decay = o.method === "full" ? decays : () => true;
    this.optimizer = createAdamW({ lr: c.lr, beta1: c.beta1, beta2: c.beta2, weightDecay: c.weightDecay, decay });
  }

  /** The model being fine-tuned, as a forward function. */
  get lm(): LanguageModel {
    return this.lora ?? this.model;
  }

  trainableCount(): number {
    return Object.values(this.trainable).reduce((n, v) => n + v.size, 0);
  }

  /** Trainable / all parameters of the fine-tuned model (base plus head; adapters not counted in the total, as peft reports it). */
  trainableFraction(): number {
    return this.trainableCount() / (this.model.paramCount() + (this.head?.size ?? 0));
  }

  /** Mean milliseconds per optimizer step so far. */
  msPerStep(): number {
    return this.history.length ? this.history.reduce((s, h) => s + h.ms, 0) / this.history.length : NaN;
  }

  private nextBatch(): Example[] {
    const c = this.config;
    const out: Example[] = [];
    while (out.length < c.batchSize) {
      if (this.cursor >= this.order.length) {
        // A fresh permutation each epoch, from (seed, epoch) only: reproducible.
        this.order = shuffledBySeed(this.task.train, c.seed * 7919 + this.epoch++);
        this.cursor = 0;
      }
      out.push(this.order[this.cursor++]);
    }
    return out;
  }

  private trainStep(): FtStep {
    const c = this.config;
    const t0 = performance.now();
    const lr = learningRate(this.step, {
      lr: c.lr,
      minLr: c.minLr,
      warmupIters: c.warmupIters,
      lrDecayIters: c.maxIters,
    });
    const batch = this.nextBatch();
    const b = encodeExamples(batch, this.vocab, this.model.config.blockSize);
    const v = this.verbalizer;
    const targets = v ? classTargets(batch, v.classes) : [];
    const dropoutSeed = new Rng(c.seed ^ (this.step * 65537)).nextUint32();
    const { loss, grads: named } = lossAndGrads(() => {
      const t = batchTensors(b);
      return v
        ? classCrossEntropy(this.classLogits(t.x, b.promptEnd, { training: true, dropoutSeed }), targets)
        : maskedCrossEntropy(this.lm.forward(t.x, { training: true, dropoutSeed }), t.y, t.mask);
    }, this.trainable);
    try {
      const norm = globalNorm(named);
      if (!Number.isFinite(loss) || !Number.isFinite(norm)) {
        throw new Error(
          `fine-tuning stopped at step ${this.step}: loss ${loss}, gradient norm ${norm} (not applied; try a lower lr)`,
        );
      }
      const before = tf.memory().numBytes;
      // Clipping as AdamW's gradient scale, as the trainer does (src/train/trainer.ts).
      this.optimizer.step(named, this.trainable, lr, clipScale(norm, c.gradClip));
      if (this.step === 0) this.optimizerBytes = tf.memory().numBytes - before;
    } finally {
      tf.dispose(Object.values(named));
    }
    return { iter: this.step++, loss, lr, ms: performance.now() - t0 };
  }

  /** Classification logits [B, K] of the head at each row's last prompt token. Call inside tf.tidy. */
  classLogits(
    x: tf.Tensor2D,
    promptEnd: number[],
    opts: { training?: boolean; dropoutSeed?: number } = {},
  ): tf.Tensor2D {
    if (!this.head) throw new Error(`FineTuner.classLogits: task ${this.task.name} is not a classification task`);
    const params =
      this.lora && !this.lora.merged
        ? this.lora.effectiveParams({ dropoutSeed: opts.training ? opts.dropoutSeed : undefined })
        : this.model.params;
    return headLogits(this.model, params, this.head as tf.Tensor2D, x, promptEnd, opts);
  }

  private scoreOpts(): {
    labels?: Record<string, string>;
    classLogits?: (x: tf.Tensor2D, promptEnd: number[]) => tf.Tensor2D;
  } {
    return { labels: this.task.labels, classLogits: this.head ? (x, pe) => this.classLogits(x, pe) : undefined };
  }

  /** Loss (and accuracy) on the first evalExamples of train and val. */
  evaluate(): FtEval {
    const n = this.config.evalExamples;
    const T = this.model.config.blockSize;
    const opts = this.scoreOpts();
    const tr = scoreExamples(this.lm, this.task.train.slice(0, n), this.vocab, T, opts);
    const va = scoreExamples(this.lm, this.task.val.slice(0, n), this.vocab, T, opts);
    const rec: FtEval = { iter: this.step, trainLoss: tr.loss, valLoss: va.loss };
    if (tr.accuracy !== undefined) Object.assign(rec, { trainAccuracy: tr.accuracy, valAccuracy: va.accuracy });
    this.evals.push(rec);
    return rec;
  }

  /** Trains until maxIters (or `iters` more steps); stops cleanly between steps when aborted. */
  async run(
    opts: { iters?: number; signal?: AbortSignal; onProgress?: (p: FtProgress) => void } = {},
  ): Promise<{ stopReason: "done" | "aborted"; step: number }> {
    const c = this.config;
    const end = Math.min(c.maxIters, opts.iters === undefined ? c.maxIters : this.step + opts.iters);
    const evaluate = (): void => {
      if (this.evals.at(-1)?.iter === this.step) return;
      const e = this.evaluate();
      opts.onProgress?.({ kind: "eval", iter: this.step, maxIters: c.maxIters, eval: e });
    };
    while (this.step < end) {
      await new Promise((r) => setImmediate(r)); // let an abort arrive
      if (opts.signal?.aborted) return { stopReason: "aborted", step: this.step };
      if (this.step % c.evalInterval === 0) evaluate();
      const s = this.trainStep();
      this.history.push(s);
      opts.onProgress?.({ kind: "step", iter: this.step, maxIters: c.maxIters, loss: s.loss });
    }
    if (this.step === c.maxIters) evaluate();
    return { stopReason: "done", step: this.step };
  }

  /** The task's metric on its test split: accuracy (classification) or exact match (generation). */
  test(opts: { signal?: AbortSignal; maxNewTokens?: number } = {}): TestResult {
    const T = this.model.config.blockSize;
    const s = scoreExamples(this.lm, this.task.test, this.vocab, T, this.scoreOpts());
    if (this.task.kind === "classification")
      return { loss: s.loss, accuracy: s.accuracy, predictions: s.predictions ?? [] };
    const maxNewTokens = opts.maxNewTokens ?? Math.max(...this.task.test.map((e) => e.answer.length)) + 1;
    const run = (m: GPT): string[] =>
      greedyAnswers(
        m,
        this.task.test.map((e) => e.prompt),
        this.vocab,
        { maxNewTokens, signal: opts.signal },
      );
    const predictions = this.lora ? this.lora.withModel(run) : run(this.model);
    if (predictions.length < this.task.test.length)
      throw new Error("FineTuner.test: aborted before every answer was generated");
    return { loss: s.loss, exactMatch: exactMatch(predictions, this.task.test), predictions };
  }

  dispose(): void {
    this.optimizer.dispose();
    if (this.lora)
      this.lora.dispose(); // the head is one of its extra modules
    else this.head?.dispose();
  }
}

/** The base parameters left trainable by a Freeze. */
export function frozenFilter(model: GPT, f: Freeze): Record<string, tf.Variable> {
  const n = f.layers ?? 0;
  if (!Number.isInteger(n) || n < 0 || n > model.config.nLayer)
    throw new Error(`freeze.layers must be an integer in [0, ${model.config.nLayer}], got ${n}`);
  const out: Record<string, tf.Variable> = {};
  for (const [name, v] of Object.entries(model.params)) {
    if (f.embeddings && (name === "wte" || name === "wpe")) continue;
    const m = /^h\.(\d+)\./.exec(name);
    if (m && Number(m[1]) < n) continue;
    out[name] = v;
  }
  return out;
}
