// Supervised examples as fixed-size batches for a causal LM: each row holds prompt + answer
// left-aligned and padded on the right. A causal model never attends to later positions, so
// right padding cannot change what the real tokens see (no attention mask needed); the loss
// counts only the answer's tokens (a mask), as in instruction tuning.
import * as tf from "@tensorflow/tfjs-core";
import { CharVocab } from "../tokenize/charVocab";
import { Example } from "./tasks";
import { encodeLossy } from "./text";

export interface ExampleBatch {
  x: Int32Array; // [B*T] inputs
  y: Int32Array; // [B*T] next-token targets
  mask: Float32Array; // [B*T] 1 where y is an answer token
  batchSize: number;
  /** Row length T: the longest example's, at most the model's blockSize. */
  blockSize: number;
  /** Row i's last prompt position: its logits there predict the answer's first token. */
  promptEnd: number[];
}

/**
 * Rows as long as the batch's longest example (at most blockSize): GPT.forward takes any
 * T <= blockSize, and padding columns that no row needs would only cost time.
 */
export function encodeExamples(examples: Example[], vocab: CharVocab, blockSize: number, padId = 0): ExampleBatch {
  const B = examples.length;
  if (B === 0) throw new Error("encodeExamples: no examples");
  const rows = examples.map((e, i) => {
    const a = encodeLossy(vocab, e.answer);
    let p = encodeLossy(vocab, e.prompt);
    if (p.length === 0) throw new Error(`encodeExamples: example ${i} has an empty prompt`);
    if (a.length === 0 || a.length > blockSize)
      throw new Error(
        `encodeExamples: example ${i}'s answer has ${a.length} tokens, expected 1..${blockSize} (blockSize)`,
      );
    // x holds prompt+answer minus the last token; too long a prompt loses its start.
    if (p.length + a.length > blockSize + 1) p = p.slice(p.length + a.length - blockSize - 1);
    return { p, s: [...p, ...a] };
  });
  const T = Math.max(...rows.map((r) => r.s.length - 1));
  const x = new Int32Array(B * T).fill(padId);
  const y = new Int32Array(B * T).fill(padId);
  const mask = new Float32Array(B * T);
  rows.forEach(({ p, s }, i) => {
    for (let t = 0; t < s.length - 1; t++) {
      x[i * T + t] = s[t];
      y[i * T + t] = s[t + 1];
      if (t >= p.length - 1) mask[i * T + t] = 1;
    }
  });
  return { x, y, mask, batchSize: B, blockSize: T, promptEnd: rows.map((r) => r.p.length - 1) };
}

/** Mean cross-entropy over the masked positions only: logits [B, T, V], targets and mask [B*T]. */
export function maskedCrossEntropy(logits: tf.Tensor3D, targets: tf.Tensor1D, mask: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const [B, T, V] = logits.shape;
    const logp = tf.logSoftmax(tf.reshape(logits, [B * T, V]));
    const picked = tf.sum(tf.mul(logp, tf.oneHot(targets, V)), -1);
    return tf.div(tf.neg(tf.sum(tf.mul(picked, mask))), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
  });
}

/** The tensors of a batch (call inside tf.tidy). */
export function batchTensors(b: ExampleBatch): { x: tf.Tensor2D; y: tf.Tensor1D; mask: tf.Tensor1D } {
  return {
    x: tf.tensor2d(b.x, [b.batchSize, b.blockSize], "int32"),
    y: tf.tensor1d(b.y, "int32"),
    mask: tf.tensor1d(b.mask),
  };
}

/**
 * The label words' logits at each row's last prompt position: [B, K]. Classification is
 * scored over these K only (PET's verbalizer, Schick & Schuetze 2021): the class is the label
 * word the model rates higher, and the loss is the cross-entropy of that K-way softmax, so
 * the other 90-odd characters the LM head could emit do not count.
 */
export function labelLogits(logits: tf.Tensor3D, promptEnd: number[], labelIds: number[]): tf.Tensor2D {
  return tf.tidy(() => {
    const [B, T, V] = logits.shape;
    if (promptEnd.length !== B) throw new Error(`labelLogits: ${promptEnd.length} prompt ends for a batch of ${B}`);
    const rows = tf.tensor1d(
      promptEnd.map((p, r) => r * T + p),
      "int32",
    );
    const last = tf.gather(tf.reshape(logits, [B * T, V]), rows);
    return tf.gather(last, tf.tensor1d(labelIds, "int32"), 1) as tf.Tensor2D;
  });
}

/** Label word ids of a verbalizer (class name -> one-token word), in the order of its classes. */
export function labelIdsOf(labels: Record<string, string>, vocab: CharVocab): { classes: string[]; ids: number[] } {
  const classes = Object.keys(labels);
  const ids = classes.map((c) => {
    const t = encodeLossy(vocab, labels[c]);
    if (t.length !== 1)
      throw new Error(`label word ${JSON.stringify(labels[c])} of class ${c} must be exactly one token`);
    return t[0];
  });
  if (new Set(ids).size !== ids.length) throw new Error(`label words must differ: ${JSON.stringify(labels)}`);
  return { classes, ids };
}

/** Mean cross-entropy of class logits [B, K] against class indices. */
export function classCrossEntropy(classLogits: tf.Tensor2D, classes: number[]): tf.Scalar {
  return tf.tidy(() => {
    const K = classLogits.shape[1];
    const picked = tf.sum(tf.mul(tf.logSoftmax(classLogits), tf.oneHot(tf.tensor1d(classes, "int32"), K)), -1);
    return tf.neg(tf.mean(picked)) as tf.Scalar;
  });
}
