// The pretraining loop of nanoGPT's train.py: sample a batch, next-token loss, backprop,
// (accumulate), clip, AdamW at the scheduled rate; evaluate every evalInterval steps.
// State lives in the Trainer, so a run stopped by its AbortSignal continues where it stopped,
// and save()/Trainer.resume() make that work across processes, bit for bit.
import * as tf from "@tensorflow/tfjs-core";
import { GPT, decays } from "../model/gpt";
import { Rng } from "../model/rng";
import { createAdamW, Optimizer } from "./adamw";
import { TrainConfig, checkTrainConfig } from "./config";
import { learningRate } from "./schedule";
import { clipByGlobalNorm } from "./clip";
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
  private readonly nameOf: Map<string, string>; // tf variable name -> parameter name

  constructor(opts: { model: GPT; config: TrainConfig; data: TrainData; optimizer?: Optimizer; vocab?: CheckpointState["vocab"] }) {
    this.model = opts.model;
    this.config = checkTrainConfig({ ...opts.config });
    this.data = opts.data;
    this.vocab = opts.vocab;
    const c = this.config;
    this.sampler = new BatchSampler(opts.data.train, c.batchSize, opts.model.config.blockSize, c.seed);
    // Fail now, not at the first evaluation.
    new BatchSampler(opts.data.val, 1, opts.model.config.blockSize);
    this.optimizer =
      opts.optimizer ?? createAdamW({ lr: c.lr, beta1: c.beta1, beta2: c.beta2, eps: 1e-8, weightDecay: c.weightDecay, decay: decays });
    this.nameOf = new Map(Object.entries(this.model.params).map(([k, v]) => [v.name, k]));
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
    return tf.tidy(() => {
      const x = tf.tensor2d(b.x, [b.batchSize, b.blockSize], "int32");
      const y = tf.tensor2d(b.y, [b.batchSize, b.blockSize], "int32");
      return this.model.loss(x, y);
    }).dataSync()[0];
  }

  /** One optimizer step (gradAccum micro-batches). Returns null when loss or gradients are not finite. */
  private trainStep(): StepRecord | { bad: string } {
    const c = this.config;
    const vars = Object.values(this.model.params);
    const lr = learningRate(this.step, c);
    let lossSum = 0;
    let acc: Record<string, tf.Tensor> = {};
    for (let micro = 0; micro < c.gradAccum; micro++) {
      const b = this.sampler.next();
      // Dropout masks depend on (seed, step, micro-step) only, so a resumed run draws the same ones.
      const dropoutSeed = new Rng(c.seed ^ (this.step * 65537 + micro)).nextUint32();
      const { value, grads } = tf.tidy(() => {
        const x = tf.tensor2d(b.x, [b.batchSize, b.blockSize], "int32");
        const y = tf.tensor2d(b.y, [b.batchSize, b.blockSize], "int32");
        return tf.variableGrads(() => this.model.loss(x, y, { training: true, dropoutSeed }), vars);
      });
      lossSum += value.dataSync()[0];
      value.dispose();
      const named: Record<string, tf.Tensor> = {};
      for (const [vn, g] of Object.entries(grads)) named[this.nameOf.get(vn)!] = g;
      if (c.gradAccum === 1) acc = named;
      else {
        // Sum of g/accum: the gradient of the mean loss over all micro-batches.
        const next: Record<string, tf.Tensor> = {};
        for (const [k, g] of Object.entries(named)) next[k] = tf.tidy(() => (acc[k] ? tf.add(acc[k], tf.div(g, c.gradAccum)) : tf.div(g, c.gradAccum)));
        tf.dispose([...Object.values(acc), ...Object.values(named)]);
        acc = next;
      }
    }
    const loss = lossSum / c.gradAccum;
    const clipped = clipByGlobalNorm(acc, c.gradClip);
    tf.dispose(Object.values(acc));
    try {
      if (!Number.isFinite(loss)) return { bad: `loss is ${loss}` };
      if (!Number.isFinite(clipped.norm)) return { bad: `gradient norm is ${clipped.norm}` };
      this.optimizer.step(clipped.grads, this.model.params, lr);
    } finally {
      tf.dispose(Object.values(clipped.grads));
    }
    return { iter: this.step++, loss, lr, gradNorm: clipped.norm };
  }

  async run(opts: RunOptions = {}): Promise<RunResult> {
    const c = this.config;
    const end = Math.min(c.maxIters, opts.iters === undefined ? c.maxIters : this.step + opts.iters);
    const tokensPerStep = c.batchSize * this.model.config.blockSize * c.gradAccum;
    const t0 = Date.now();
    let trainMs = 0;
    let steps = 0;
    let last: StepRecord | undefined;
    let stop: Pick<RunResult, "stopReason" | "message"> = { stopReason: "done", message: "" };
    const tokensPerSec = (): number => (trainMs > 0 ? (steps * tokensPerStep) / (trainMs / 1000) : 0);
    const info = (kind: ProgressInfo["kind"], extra: Partial<ProgressInfo>): ProgressInfo => ({
      kind, iter: this.step, maxIters: c.maxIters, tokensPerSec: tokensPerSec(), seconds: (Date.now() - t0) / 1000, ...extra,
    });
    const evaluate = (): void => {
      if (this.evals.at(-1)?.iter === this.step) return;
      const rec = this.evaluate(); // not inside onProgress?.(...): that would skip it without a callback
      opts.onProgress?.(info("eval", { eval: rec }));
    };
    while (this.step < end) {
      // Yield to the event loop between steps so an interrupt (abort) can arrive.
      await new Promise((r) => setImmediate(r));
      if (opts.signal?.aborted) {
        stop = { stopReason: "aborted", message: `stopped by request at step ${this.step}` };
        break;
      }
      if (this.step % c.evalInterval === 0) evaluate();
      const s0 = Date.now();
      const r = this.trainStep();
      trainMs += Date.now() - s0;
      if ("bad" in r) {
        stop = {
          stopReason: "nonfinite",
          message: `training stopped at step ${this.step}: ${r.bad}; the update was not applied, parameters are those after step ${this.step - 1}. Try a lower lr or gradClip.`,
        };
        break;
      }
      steps++;
      last = r;
      this.history.push(r);
      opts.onProgress?.(info("step", { loss: r.loss, lr: r.lr, gradNorm: r.gradNorm }));
      if (opts.checkpointDir && opts.checkpointEvery && this.step % opts.checkpointEvery === 0) this.save(opts.checkpointDir);
    }
    if (stop.stopReason === "done" && this.step === c.maxIters) evaluate();
    if (stop.stopReason === "done") stop.message = `reached step ${this.step}`;
    if (opts.checkpointDir && stop.stopReason !== "nonfinite") this.save(opts.checkpointDir);
    return {
      ...stop,
      step: this.step,
      trainLoss: last?.loss ?? NaN,
      lastEval: this.evals.at(-1),
      tokensPerSec: tokensPerSec(),
      seconds: (Date.now() - t0) / 1000,
    };
  }

  save(dir: string): void {
    const ev = this.evals.at(-1);
    saveCheckpoint(dir, {
      model: this.model,
      optimizer: this.optimizer.getState(),
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
        if (ck.optimizer.t > 0 && (!ck.optimizer.m[name] || !ck.optimizer.v[name])) {
          throw new Error(`checkpoint ${dir}/optimizer.safetensors: no moments for parameter ${name}`);
        }
        if (ck.optimizer.t > 0 && ck.optimizer.m[name].length !== model.params[name].size) {
          throw new Error(`checkpoint ${dir}/optimizer.safetensors: moments of ${name} have ${ck.optimizer.m[name].length} values, the parameter ${model.params[name].size}`);
        }
      }
      t.optimizer.setState(ck.optimizer);
      t.step = ck.state.step;
      t.sampler.setState(ck.state.rng.train);
      return t;
    } catch (e) {
      model.dispose();
      throw e;
    }
  }
}
