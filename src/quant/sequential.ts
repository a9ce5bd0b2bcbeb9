// Applying a quantiser to a whole model, layer by layer, as GPTQ's opt_sequential does:
// the inputs each layer is calibrated on are recomputed from the model as it stands, with
// the layers before it already quantised, so each layer corrects for the error upstream.
// The model is reached only through the narrow QuantTarget interface below, so this file
// knows nothing of transformers or tfjs.
import { GPTQ, GPTQOptions } from "./gptq";
import { Matrix, matrix } from "./matrix";
import { RTNOptions, quantizeRTN } from "./rtn";

/** One linear layer y = W x, W row-major [rows = out, cols = in]. */
export interface LinearLayer {
  name: string;
  rows: number;
  cols: number;
  getWeight(): Float32Array;
  setWeight(w: Float32Array): void;
}

export interface QuantTarget {
  /**
   * The linear layers in forward order, in steps quantised one after another: a step is a
   * transformer block (the reference) or a part of one (its --true-sequential option).
   * Layers in one step are calibrated on the same pass.
   */
  steps: LinearLayer[][];
  /**
   * Run the calibration data through the model with its current weights and hand each
   * named layer's inputs to `observe`, as rows [tokens, cols]; `samples` is how many
   * calibration sequences those rows came from. May be called once per step.
   */
  calibrate(
    names: string[],
    observe: (name: string, inputs: Matrix, samples: number) => void,
    opts?: { signal?: AbortSignal },
  ): void | Promise<void>;
}

export interface LayerReport {
  name: string;
  step: number;
  /** GPTQ's loss (sum of (w - q)^2 / Hinv_ii^2 / 2); 0 for RTN. */
  loss: number;
  bytes: number;
}

export interface SequentialOptions {
  signal?: AbortSignal;
  onProgress?(info: { step: number; steps: number; layer: string; loss: number }): void;
}

/** GPTQ over a model, step by step; weights are replaced in place through setWeight. */
export async function gptqSequential(
  target: QuantTarget,
  opts: GPTQOptions & SequentialOptions,
): Promise<LayerReport[]> {
  const reports: LayerReport[] = [];
  for (let s = 0; s < target.steps.length; s++) {
    if (opts.signal?.aborted) break; // between steps: every layer is either quantised or untouched
    const layers = target.steps[s];
    const gptq = new Map(layers.map((l) => [l.name, new GPTQ(l.cols)]));
    await target.calibrate(
      layers.map((l) => l.name),
      (name, inputs, samples) => {
        const g = gptq.get(name);
        if (!g)
          throw new Error(
            `calibrate: observed layer "${name}", which is not in step ${s} (${[...gptq.keys()].join(", ")})`,
          );
        g.addBatch(inputs, samples);
      },
      { signal: opts.signal },
    );
    for (const l of layers) {
      const g = gptq.get(l.name) as GPTQ;
      if (g.nsamples === 0) throw new Error(`calibrate: layer "${l.name}" saw no inputs`);
      const r = g.quantize(matrix(l.rows, l.cols, l.getWeight()), opts);
      l.setWeight(r.weights.data);
      reports.push({ name: l.name, step: s, loss: r.loss, bytes: r.bytes });
      opts.onProgress?.({ step: s + 1, steps: target.steps.length, layer: l.name, loss: r.loss });
    }
  }
  return reports;
}

/** Round-to-nearest over the same layers (no calibration needed). */
export function rtnAll(target: Pick<QuantTarget, "steps">, opts: RTNOptions): LayerReport[] {
  const reports: LayerReport[] = [];
  target.steps.forEach((layers, s) => {
    for (const l of layers) {
      const r = quantizeRTN(matrix(l.rows, l.cols, l.getWeight()), opts);
      l.setWeight(r.weights.data);
      reports.push({ name: l.name, step: s, loss: 0, bytes: r.bytes });
    }
  });
  return reports;
}
