// QuantTarget for models whose weights are tfjs variables: each linear layer is a variable
// (GPT-2/Conv1D layout [in, out] as y = x W, or [out, in]), and the model's forward pass
// reports each linear layer's input through a `capture` callback. Nothing here knows the
// architecture; the caller says which variables are linear layers and how to run the model.
import * as tf from "@tensorflow/tfjs-core";
import { matrix } from "./matrix";
import { LinearLayer, QuantTarget } from "./sequential";

/** capture(layerName, input [tokens, in], samples = sequences in this batch). */
export type Capture = (name: string, input: tf.Tensor2D, samples?: number) => void;

/** A tfjs weight variable seen as W [out, in] (transposing the Conv1D layout [in, out]). */
export function tfLinear(name: string, variable: tf.Variable, layout: "in_out" | "out_in" = "in_out"): LinearLayer {
  if (variable.rank !== 2) throw new Error(`tfLinear: ${name} has shape [${variable.shape}], expected a 2-D weight`);
  const [a, b] = variable.shape as [number, number];
  const [rows, cols] = layout === "in_out" ? [b, a] : [a, b];
  return {
    name,
    rows,
    cols,
    getWeight: () => {
      const w = tf.tidy(() => (layout === "in_out" ? tf.transpose(variable) : variable.clone()));
      const data = w.dataSync() as Float32Array;
      w.dispose();
      return data;
    },
    setWeight: (data: Float32Array) => {
      if (data.length !== rows * cols)
        throw new Error(`tfLinear: ${name} expects ${rows * cols} values, got ${data.length}`);
      tf.tidy(() => {
        const w = tf.tensor2d(data, [rows, cols]);
        variable.assign(layout === "in_out" ? tf.transpose(w) : w);
      });
    },
  };
}

/**
 * A QuantTarget from layer steps and a function that runs the calibration set through the
 * model (with its current weights), calling `capture` with every linear layer's input.
 */
export function captureTarget(
  steps: LinearLayer[][],
  run: (capture: Capture, signal?: AbortSignal) => void | Promise<void>,
): QuantTarget {
  return {
    steps,
    async calibrate(names, observe, opts) {
      const wanted = new Set(names);
      await run((name, input, samples = 1) => {
        if (!wanted.has(name)) return;
        if (input.rank !== 2)
          throw new Error(`capture: ${name}'s input has shape [${input.shape}], expected [tokens, features]`);
        observe(name, matrix(input.shape[0], input.shape[1], input.dataSync() as Float32Array), samples);
      }, opts?.signal);
    },
  };
}

/**
 * The steps of a GPT-2-named model (h.N.attn.c_attn.weight, ...): per block, or per part of a
 * block in the reference's --true-sequential order (qkv, attention out, MLP up, MLP down).
 */
export function gpt2Steps(nLayer: number, trueSequential = true): string[][] {
  const steps: string[][] = [];
  for (let l = 0; l < nLayer; l++) {
    const names = ["attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj"].map((p) => `h.${l}.${p}.weight`);
    if (trueSequential) names.forEach((n) => steps.push([n]));
    else steps.push(names);
  }
  return steps;
}
