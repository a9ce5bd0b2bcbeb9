// Task metrics: masked loss, classification accuracy by label words (the class whose label
// token the model rates higher right after the prompt), and exact match of greedy answers.
import * as tf from "@tensorflow/tfjs-core";
import { GPT, ForwardOptions } from "../model/gpt";
import { generate } from "../model/generate";
import { CharVocab } from "../tokenize/charVocab";
import { Example } from "./tasks";
import { encodeExamples, maskedCrossEntropy, batchTensors, labelLogits, labelIdsOf, classCrossEntropy } from "./batch";
import { encodeLossy } from "./text";

/** Anything with GPT's forward: the GPT itself (full fine-tuning) or a LoRA-adapted one. */
export interface LanguageModel {
  forward(idx: tf.Tensor2D, opts?: ForwardOptions): tf.Tensor3D;
}

export interface Scores {
  /** Mean cross-entropy (nats): per answer token, or per example over the label words (classification). */
  loss: number;
  /** Classification: fraction whose predicted label is right, and each prediction. */
  accuracy?: number;
  predictions?: string[];
}

/** Loss (and accuracy, with labels) over examples, in chunks so memory stays small. */
export function scoreExamples(
  lm: LanguageModel,
  examples: Example[],
  vocab: CharVocab,
  blockSize: number,
  /** classLogits: [B, K] scores of the classes (default: the label words' LM logits). */
  opts: {
    labels?: Record<string, string>;
    chunk?: number;
    classLogits?: (x: tf.Tensor2D, promptEnd: number[]) => tf.Tensor2D;
  } = {},
): Scores {
  if (examples.length === 0) throw new Error("scoreExamples: no examples");
  const chunk = opts.chunk ?? 32;
  const verbalizer = opts.labels ? labelIdsOf(opts.labels, vocab) : undefined;
  let lossSum = 0;
  let count = 0;
  const predictions: string[] = [];
  for (let i = 0; i < examples.length; i += chunk) {
    const part = examples.slice(i, i + chunk);
    const b = encodeExamples(part, vocab, blockSize);
    const { loss, scores } = tf.tidy(() => {
      const t = batchTensors(b);
      if (!verbalizer) return { loss: maskedCrossEntropy(lm.forward(t.x), t.y, t.mask), scores: undefined };
      const scores = opts.classLogits
        ? opts.classLogits(t.x, b.promptEnd)
        : labelLogits(lm.forward(t.x), b.promptEnd, verbalizer.ids);
      return { loss: classCrossEntropy(scores, classTargets(part, verbalizer.classes)), scores };
    });
    // Weighted by what each chunk's mean is over: answer tokens, or examples.
    const n = verbalizer ? part.length : b.mask.reduce((s, m) => s + m, 0);
    lossSum += loss.dataSync()[0] * n;
    count += n;
    if (scores)
      for (const row of scores.arraySync() as number[][])
        predictions.push(verbalizer!.classes[row.indexOf(Math.max(...row))]);
    tf.dispose([loss, scores]);
  }
  const out: Scores = { loss: lossSum / count };
  if (verbalizer) {
    out.predictions = predictions;
    out.accuracy = predictions.filter((p, i) => p === examples[i].label).length / examples.length;
  }
  return out;
}

/** Each example's class index in classes (its `label` must be one of them). */
export function classTargets(examples: Example[], classes: string[]): number[] {
  return examples.map((e, i) => {
    const k = classes.indexOf(e.label ?? "");
    if (k < 0)
      throw new Error(`example ${i} has label ${JSON.stringify(e.label)}, expected one of ${classes.join(", ")}`);
    return k;
  });
}
/** Greedy answer to each prompt, up to the first newline (or maxNewTokens). */
export function greedyAnswers(
  model: GPT,
  prompts: string[],
  vocab: CharVocab,
  opts: { maxNewTokens?: number; stop?: string; signal?: AbortSignal } = {},
): string[] {
  const stop = opts.stop ?? "\n";
  const stopId = vocab.chars.indexOf(stop);
  const maxNew = opts.maxNewTokens ?? 24;
  const out: string[] = [];
  for (const p of prompts) {
    if (opts.signal?.aborted) break;
    const ids = Array.from(encodeLossy(vocab, p)).slice(-(model.config.blockSize - 1));
    // generate() checks its signal before each token: aborting on the stop token ends the answer.
    const ac = new AbortController();
    const seq = generate(model, ids, {
      maxNewTokens: maxNew,
      temperature: 0,
      signal: ac.signal,
      onToken: (t) => t === stopId && ac.abort(),
    });
    const text = vocab.decode(seq.slice(ids.length));
    const cut = text.indexOf(stop);
    out.push(cut >= 0 ? text.slice(0, cut) : text);
  }
  return out;
}

/** Fraction of answers equal to the reference (both trimmed). */
export function exactMatch(predicted: string[], examples: Example[]): number {
  if (predicted.length !== examples.length)
    throw new Error(`exactMatch: ${predicted.length} answers for ${examples.length} examples`);
  return predicted.filter((p, i) => p.trim() === examples[i].answer.trim()).length / examples.length;
}
