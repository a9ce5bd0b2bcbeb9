// The pretraining loop of nanoGPT's train.py: sample a batch, next-token loss, backprop,
// (accumulate), clip, AdamW at the scheduled rate; evaluate every evalInterval steps.
// State lives in the Trainer, so a run stopped by its AbortSignal continues where it stopped,
// and save()/Trainer.resume() make that work across processes, bit for bit.
import * as tf from "@tensorflow/tfjs-core";
import { GPT } from "../model/gpt";
import { readAndDispose } from "../model/layers";
import { Rng } from "../model/rng";
import { createAdamW, decays, Optimizer } from "./adamw";
import { lossAndGrads, accumulate, Grads } from "./grads";
import { TrainConfig, checkTrainConfig } from "./config";
import { learningRate } from "./schedule";
import { clipScale, globalNorm } from "./clip";
import { BatchSampler, Batch, Tokens } from "./sampler";
import { saveCheckpoint, loadCheckpoint, restoreParams, checkSameModel, CheckpointState } from "./checkpoint";

export interface TrainData {
  train: Tokens[];
  val: Tokens[];
  /** UTF-8 bytes per token of the val split, for bits per byte (default 1). */
  bytesPerToken?: number;
}

export interface StepRecord {
  iter: number;
  loss: number;
  lr: number;
  gradNorm: number;
}

export interface EvalRecord {
  iter: number;
  trainLoss: number;
  valLoss: number;
  /** Val loss in bits per UTF-8 byte: nats / ln 2 / bytes per token. */
  valBpb: number;
}

export interface ProgressInfo {
  kind: "step" | "eval";
  iter: number;
  maxIters: number;
  loss?: number;
  lr?: number;
  gradNorm?: number;
  eval?: EvalRecord;
  tokensPerSec: number;
  seconds: number;
}

export interface RunOptions {
  /** Stop after this many more steps (default: until maxIters). */
  iters?: number;
  signal?: AbortSignal;
  onProgress?: (info: ProgressInfo) => void;
  /** Save a checkpoint here every checkpointEvery steps and when the run ends. */
  checkpointDir?: string;
  checkpointEvery?: number;
}

export interface RunResult {
  /** done: reached the step asked for; aborted: the signal fired; nonfinite: NaN/Inf stopped it. */
  stopReason: "done" | "aborted" | "nonfinite";
  message: string;
  step: number;
  trainLoss: number; // mean training loss of the last step
  lastEval?: EvalRecord;
  tokensPerSec: number;
  seconds: number;
}

export class Trainer {
  readonly model: GPT;
  readonly config: TrainConfig;
  readonly optimizer: Optimizer;
  readonly data: TrainData;
  readonly history: StepRecord[] = [];
  readonly evals: EvalRecord[] = [];
  vocab?: CheckpointState["vocab"];
  step = 0;
  private readonly sampler: BatchSampler;

  constructor(opts: {
    model: GPT;
    config: TrainConfig;
    data: TrainData;
    optimizer?: Optimizer;
    vocab?: CheckpointState["vocab"];
  }) {
    this.model = opts.model;
    this.config = checkTrainConfig({ ...opts.config });
    this.data = opts.data;
    this.vocab = opts.vocab;
    const c = this.config;
    this.sampler = new BatchSampler(opts.data.train, c.batchSize, opts.model.config.blockSize, c.seed);
    // Fail now, not at the first evaluation.
    new BatchSampler(opts.data.val, 1, opts.model.config.blockSize);
    this.optimizer =
      opts.optimizer ??
      createAdamW({ lr: c.lr, beta1: c.beta1, beta2: c.beta2, eps: 1e-8, weightDecay: c.weightDecay, decay: decays });
  }

  /**
   * nanoGPT's estimate_loss: mean loss over evalIters batches of each split. The batches come
   * from an Rng seeded afresh each time, so evaluations are comparable across steps and never
   * disturb the training sampler (which keeps resume exact).
   */
  evaluate(): EvalRecord {
    const c = this.config;
    const T = this.model.config.blockSize;
    const mean = (tokens: Tokens[], seed: number): number => {
      const sampler = new BatchSampler(tokens, c.batchSize, T, seed);
      let sum = 0;
      for (let i = 0; i < c.evalIters; i++) sum += this.batchLoss(sampler.next());
      return sum / c.evalIters;
    };
    const trainLoss = mean(this.data.train, c.seed + 1);
    const valLoss = mean(this.data.val, c.seed + 2);
    const rec = { iter: this.step, trainLoss, valLoss, valBpb: valLoss / Math.LN2 / (this.data.bytesPerToken ?? 1) };
    this.evals.push(rec);
    return rec;
  }

  private batchLoss(b: Batch): number {
    return readAndDispose(
      tf.tidy(() => {
        const { x, y } = batchTensors(b);
        return this.model.loss(x, y);
      }),
    )[0];
  }

  /**
   * One optimizer step, the body of train.py's loop: forward and backward on gradAccum
   * micro-batches (averaging their gradients), clip the global norm, AdamW at the scheduled lr.
   * Returns { bad } and leaves the parameters as they were when the loss or the gradient norm
   * is not finite.
   */
  private trainStep(): StepRecord | { bad: string } {
    const c = this.config;
    const lr = learningRate(this.step, c);
    let lossSum = 0;
    let grads: Grads = {};
    for (let micro = 0; micro < c.gradAccum; micro++) {
      const b = this.sampler.next();
      // Dropout masks depend on (seed, step, micro-step) only, so a resumed run draws the same ones.
      const dropoutSeed = new Rng(c.seed ^ (this.step * 65537 + micro)).nextUint32();
      const micrograds = lossAndGrads(() => {
        const { x, y } = batchTensors(b);
        return this.model.loss(x, y, { training: true, dropoutSeed });
      }, this.model.params);
      lossSum += micrograds.loss;
      grads = accumulate(grads, micrograds.grads, c.gradAccum);
    }
    const loss = lossSum / c.gradAccum;
    try {
      const norm = globalNorm(grads);
      if (!Number.isFinite(loss)) return { bad: `loss is ${loss}` };
      if (!Number.isFinite(norm)) return { bad: `gradient norm is ${norm}` };
      // Clipping as a factor on the gradients AdamW reads, not as scaled copies of them.
      this.optimizer.step(grads, this.model.params, lr, clipScale(norm, c.gradClip));
      return { iter: this.step++, loss, lr, gradNorm: norm };
    } finally {
      tf.dispose(Object.values(grads));
    }
  }

  /**
   * Trains until maxIters (or `iters` more steps), evaluating every evalInterval steps and at
   * the end, as train.py; stops early on the signal or a non-finite step.
   */
  async run(opts: RunOptions = {}): Promise<RunResult> {
    const c = this.config;
    const end = Math.min(c.maxIters, opts.iters === undefined ? c.maxIters : this.step + opts.iters);
    const clock = new Throughput(c.batchSize * this.model.config.blockSize * c.gradAccum);
    const report = (kind: ProgressInfo["kind"], extra: Partial<ProgressInfo>): void =>
      opts.onProgress?.({ kind, iter: this.step, maxIters: c.maxIters, ...clock.now(), ...extra });
    let last: StepRecord | undefined;
    let stop: Pick<RunResult, "stopReason" | "message"> = { stopReason: "done", message: "" };
    while (this.step < end) {
      // Yield to the event loop between steps so an interrupt (abort) can arrive.
      await new Promise((r) => setImmediate(r));
      if (opts.signal?.aborted) {
        stop = { stopReason: "aborted", message: `stopped by request at step ${this.step}` };
        break;
      }
      if (this.step % c.evalInterval === 0) this.evaluateOnce(report);
      const r = clock.time(() => this.trainStep());
      if ("bad" in r) {
        stop = {
          stopReason: "nonfinite",
          message: `training stopped at step ${this.step}: ${r.bad}; the update was not applied, parameters are those after step ${this.step - 1}. Try a lower lr or gradClip.`,
        };
        break;
      }
      last = r;
      this.history.push(r);
      report("step", { loss: r.loss, lr: r.lr, gradNorm: r.gradNorm });
      if (opts.checkpointDir && opts.checkpointEvery && this.step % opts.checkpointEvery === 0)
        this.save(opts.checkpointDir);
    }
    if (stop.stopReason === "done" && this.step === c.maxIters) this.evaluateOnce(report);
    if (stop.stopReason === "done") stop.message = `reached step ${this.step}`;
    if (opts.checkpointDir && stop.stopReason !== "nonfinite") this.save(opts.checkpointDir);
    return { ...stop, step: this.step, trainLoss: last?.loss ?? NaN, lastEval: this.evals.at(-1), ...clock.now() };
  }

  /** Evaluates unless this step already was, and reports it (with or without a callback). */
  private evaluateOnce(report: (kind: "eval", extra: Partial<ProgressInfo>) => void): void {
    if (this.evals.at(-1)?.iter === this.step) return;
    report("eval", { eval: this.evaluate() });
  }

  save(dir: string): void {
    const ev = this.evals.at(-1);
    saveCheckpoint(dir, {
      model: this.model,
      optimizer: this.optimizer.exportState(),
      step: this.step,
      train: this.config,
      rng: { train: this.sampler.state() },
      vocab: this.vocab,
      metrics: ev ? { iter: ev.iter, trainLoss: ev.trainLoss, valLoss: ev.valLoss, valBpb: ev.valBpb } : undefined,
    });
  }

  /**
   * Continues a saved run on the same data. The model config comes from the checkpoint; if
   * `expect` is given (say, from --config) it must match. The train config may change maxIters only.
   */
  static resume(dir: string, data: TrainData, opts: { expectModel?: GPT["config"]; maxIters?: number } = {}): Trainer {
    const ck = loadCheckpoint(dir);
    if (opts.expectModel) checkSameModel(ck.state.model, opts.expectModel, `checkpoint ${dir}`);
    const model = new GPT(ck.state.model);
    try {
      restoreParams(model, ck.params, `checkpoint ${dir}/model.safetensors`);
      const config = { ...ck.state.train, maxIters: opts.maxIters ?? ck.state.train.maxIters };
      const t = new Trainer({ model, config, data, vocab: ck.state.vocab });
      for (const name of Object.keys(model.params)) {
        if (ck.optimizer.step > 0 && (!ck.optimizer.m[name] || !ck.optimizer.v[name])) {
          throw new Error(`checkpoint ${dir}/optimizer.safetensors: no moments for parameter ${name}`);
        }
        if (ck.optimizer.step > 0 && ck.optimizer.m[name].length !== model.params[name].size) {
          throw new Error(
            `checkpoint ${dir}/optimizer.safetensors: moments of ${name} have ${ck.optimizer.m[name].length} values, the parameter ${model.params[name].size}`,
          );
        }
      }
      t.optimizer.importState(ck.optimizer);
      t.step = ck.state.step;
      t.sampler.setState(ck.state.rng.train);
      return t;
    } catch (e) {
      model.dispose();
      throw e;
    }
  }
}

function batchTensors(b: Batch): { x: tf.Tensor2D; y: tf.Tensor2D } {
  return {
    x: tf.tensor2d(b.x, [b.batchSize, b.blockSize], "int32"),
    y: tf.tensor2d(b.y, [b.batchSize, b.blockSize], "int32"),
  };
}

/** Tokens per second of training steps only (evaluations and checkpoints left out), and wall time. */
class Throughput {
  private readonly t0 = Date.now();
  private trainMs = 0;
  private steps = 0;
  constructor(private readonly tokensPerStep: number) {}

  time<R>(step: () => R): R {
    const s0 = Date.now();
    const r = step();
    this.trainMs += Date.now() - s0;
    this.steps++;
    return r;
  }

  now(): { tokensPerSec: number; seconds: number } {
    const tokensPerSec = this.trainMs > 0 ? (this.steps * this.tokensPerStep) / (this.trainMs / 1000) : 0;
    return { tokensPerSec, seconds: (Date.now() - this.t0) / 1000 };
  }
}
