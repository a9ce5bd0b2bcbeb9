// A classification head on the last prompt token's final hidden state, started from the label
// words' output embeddings: at step 0 its logits are exactly the label words' LM logits (the
// verbalizer), and from there it trains with the rest, as peft trains a classifier head
// ("modules_to_save") next to the adapters. Without it, LoRA would have to steer a frozen
// readout, whose label rows a briefly pretrained base has barely shaped.
//
// GPT.forward returns logits, not hidden states; the head's K rows are appended to the
// output embedding of a view of the model (vocabSize V + K), so the last K logits are
// h·head^T. Input ids stay below V, so the embedding lookup is unchanged.
import * as tf from "@tensorflow/tfjs-core";
import { GPT, Params } from "../model/gpt";

export const HEAD_NAME = "cls_head.weight";

let nextId = 0;

/** [K, C]: the output-embedding rows of the label word ids, copied into a new variable. */
export function labelWordHead(model: GPT, labelIds: number[]): tf.Variable {
  const rows = tf.tidy(() => {
    const ids = tf.tensor1d(labelIds, "int32");
    return model.config.tieWeights
      ? tf.gather(model.params["wte"], ids)
      : tf.transpose(tf.gather(model.params["lm_head.weight"], ids, 1));
  });
  const v = tf.variable(rows, true, `cls_head_${nextId++}`);
  rows.dispose();
  return v;
}

/** The model with K more outputs whose weights are head's rows (tensors: call inside tf.tidy). */
export function withHeadOutputs(model: GPT, params: Params, head: tf.Tensor2D): GPT {
  const out: Record<string, tf.Tensor> = { ...params };
  if (model.config.tieWeights) out["wte"] = tf.concat([params["wte"], head], 0);
  else out["lm_head.weight"] = tf.concat([params["lm_head.weight"], tf.transpose(head)], 1);
  const v = Object.create(model) as GPT;
  // forward() only reads these as tensors (see lora.ts); config carries the wider vocabulary.
  Object.defineProperty(v, "params", { value: out as unknown as Params });
  Object.defineProperty(v, "config", { value: { ...model.config, vocabSize: model.config.vocabSize + head.shape[0] } });
  return v;
}

/** Head logits [B, K] at each row's last prompt position. Call inside tf.tidy. */
export function headLogits(
  model: GPT,
  params: Params,
  head: tf.Tensor2D,
  x: tf.Tensor2D,
  promptEnd: number[],
  opts: { training?: boolean; dropoutSeed?: number } = {},
): tf.Tensor2D {
  const [B, T] = x.shape;
  const V = model.config.vocabSize;
  const K = head.shape[0];
  const logits = withHeadOutputs(model, params, head).forward(x, opts); // [B, T, V + K]
  const rows = tf.tensor1d(
    promptEnd.map((p, r) => r * T + p),
    "int32",
  );
  const last = tf.gather(tf.reshape(logits, [B * T, V + K]), rows);
  return tf.slice(last, [0, V], [B, K]) as tf.Tensor2D;
}
