// Gradients by parameter name. tf.variableGrads keys them by tfjs variable name, which must be
// unique per process ("wte_17"); the optimizer and checkpoints know a parameter by its GPT-2
// name ("wte"), so the renaming happens here, once, for every training loop.
import * as tf from "@tensorflow/tfjs-core";

export type Grads = Record<string, tf.Tensor>;

/** Runs f (a loss built inside a tidy) and differentiates it with respect to params, by name. */
export function lossAndGrads(f: () => tf.Scalar, params: Record<string, tf.Variable>): { loss: number; grads: Grads } {
  const { value, grads: byVariable } = tf.tidy(() => tf.variableGrads(f, Object.values(params)));
  const loss = value.dataSync()[0];
  value.dispose();
  const grads: Grads = {};
  for (const [name, v] of Object.entries(params)) if (byVariable[v.name]) grads[name] = byVariable[v.name];
  return { loss, grads };
}

/**
 * Adds g / n to the running sum `acc` (disposing both): after n micro-batches, the gradient of
 * their mean loss (train.py's loss / gradient_accumulation_steps). With n = 1 it is g itself.
 */
export function accumulate(acc: Grads, g: Grads, n: number): Grads {
  if (n === 1) return g;
  const next: Grads = {};
  for (const [k, gk] of Object.entries(g))
    next[k] = tf.tidy(() => (acc[k] ? tf.add(acc[k], tf.div(gk, n)) : tf.div(gk, n)));
  tf.dispose([...Object.values(acc), ...Object.values(g)]);
  return next;
}
