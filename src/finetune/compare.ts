// One fine-tuning run end to end, with the numbers the course compares: trainable parameters,
// optimizer memory, time per step, train/val curves, the test metric, and the saved size.
import * as fs from "fs";
import * as path from "path";
import { Rng } from "../model/rng";
import { defaultTrainConfig } from "../train/config";
import { saveCheckpoint, writeFileAtomic } from "../train/checkpoint";
import { serializeSafetensors } from "../train/safetensors";
import { HEAD_NAME } from "./head";
import { Base } from "./base";
import { saveAdapter, ADAPTER_FILE } from "./adapter";
import { FineTuner, FineTuneOptions, Method, FtEval, FtStep, FtProgress } from "./finetune";

export interface FineTuneReport {
  task: string;
  method: Method;
  trainableParams: number;
  /** Parameters of the base GPT (without the classification head). */
  baseParams: number;
  trainableFraction: number;
  /** Bytes of AdamW state (two moments per trainable parameter), measured with tf.memory(). */
  optimizerBytes: number;
  msPerStep: number;
  steps: number;
  stopReason: "done" | "aborted";
  evals: FtEval[];
  history: FtStep[];
  test: { loss: number; accuracy?: number; exactMatch?: number };
  /** A few test prompts with the model's answer. */
  samples: { prompt: string; expected: string; got: string }[];
  /** What was saved to `out`: the adapter's tensor file (lora) or the whole model's (full). */
  savedFile?: string;
  savedBytes?: number;
}

/**
 * Fine-tunes base on task with one method. Full fine-tuning trains a copy of the base, so
 * the same base serves the next run; LoRA leaves the base untouched by construction.
 */
export async function fineTune(
  o: Omit<FineTuneOptions, "model" | "vocab"> & {
    base: Base;
    /** Save the adapter (lora) or a checkpoint (full) here. */
    out?: string;
    signal?: AbortSignal;
    onProgress?: (p: FtProgress) => void;
  },
): Promise<{ report: FineTuneReport; tuner: FineTuner }> {
  const model = o.method === "full" ? o.base.model.clone() /* the shared base must not change */ : o.base.model;
  const tuner = new FineTuner({
    model,
    task: o.task,
    vocab: o.base.vocab,
    method: o.method,
    lora: o.lora,
    freeze: o.freeze,
    config: o.config,
  });
  const r = await tuner.run({ signal: o.signal, onProgress: o.onProgress });
  const test = tuner.test({ signal: o.signal });
  const report: FineTuneReport = {
    task: o.task.name,
    method: o.method,
    trainableParams: tuner.trainableCount(),
    baseParams: o.base.model.paramCount(),
    trainableFraction: tuner.trainableFraction(),
    optimizerBytes: tuner.optimizerBytes,
    msPerStep: tuner.msPerStep(),
    steps: tuner.step,
    stopReason: r.stopReason,
    evals: tuner.evals,
    history: tuner.history,
    test: { loss: test.loss, accuracy: test.accuracy, exactMatch: test.exactMatch },
    samples: o.task.test
      .slice(0, 6)
      .map((e, i) => ({ prompt: e.prompt, expected: e.label ?? e.answer.trim(), got: test.predictions[i] })),
  };
  if (o.out) {
    const metrics: Record<string, number> = { step: tuner.step, testLoss: test.loss };
    if (test.accuracy !== undefined) metrics.accuracy = test.accuracy;
    if (test.exactMatch !== undefined) metrics.exactMatch = test.exactMatch;
    if (tuner.lora) {
      report.savedBytes = saveAdapter(o.out, tuner.lora, metrics).bytes;
      report.savedFile = path.join(o.out, ADAPTER_FILE);
    } else {
      const c = tuner.config;
      saveCheckpoint(o.out, {
        model,
        optimizer: tuner.optimizer.exportState(),
        step: tuner.step,
        train: {
          ...defaultTrainConfig,
          batchSize: c.batchSize,
          maxIters: c.maxIters,
          lr: c.lr,
          minLr: c.minLr,
          warmupIters: c.warmupIters,
          lrDecayIters: c.maxIters,
          beta1: c.beta1,
          beta2: c.beta2,
          weightDecay: c.weightDecay,
          gradClip: c.gradClip,
          evalInterval: c.evalInterval,
          seed: c.seed,
        },
        rng: { train: new Rng(c.seed).state() },
        vocab: { kind: "char", chars: o.base.vocab.chars },
        metrics,
      });
      // The classification head is not part of the GPT: it goes next to the checkpoint.
      if (tuner.head)
        writeFileAtomic(
          path.join(o.out, "cls_head.safetensors"),
          serializeSafetensors({
            [HEAD_NAME]: { dtype: "F32", shape: tuner.head.shape, data: tuner.head.dataSync() as Float32Array },
          }),
        );
      report.savedFile = path.join(o.out, "model.safetensors");
      report.savedBytes = fs.statSync(report.savedFile).size;
    }
  }
  return { report, tuner };
}

/** Frees what a fineTune run allocated (the trained copy for full, the adapters for lora), not the base. */
export function disposeRun(run: { tuner: FineTuner }, base: Base): void {
  run.tuner.dispose();
  if (run.tuner.model !== base.model) run.tuner.model.dispose();
}
