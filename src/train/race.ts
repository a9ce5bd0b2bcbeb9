// Two models trained on the same batches for the same compute budget, with the val loss
// recorded against training time: notebook 04's transformer-vs-LSTM comparison. Both use
// plain Adam at their own rate, so the race measures the architectures, not the optimizers.
//
// The budget is the CPU time the training steps take (process.cpuUsage, user + system, summed
// over every thread of the process), not the wall clock: on a shared machine the wall clock
// charges a competitor for the time other processes held the cores, and which model won
// depended on who else was busy during its turn. CPU time counts every thread the process
// runs, so the native GEMM's pool (LLMLAB_THREADS, all cores by default) is charged for each
// of its threads: a model that spreads its products over two cores pays for both, which is
// the honest compute budget (the pool's workers block rather than spin, so waiting is free).
import * as tf from "@tensorflow/tfjs-core";
import { readAndDispose } from "../model/layers";
import { BatchSampler, Batch } from "./sampler";
import { TrainData } from "./trainer";
import { GPT } from "../model/gpt";
import { CharLSTM } from "../model/lstm";

export interface Competitor {
  name: string;
  loss(x: tf.Tensor2D, y: tf.Tensor2D, training: boolean): tf.Scalar;
  variables: tf.Variable[];
  lr: number;
}

export interface RacePoint {
  seconds: number; // CPU seconds of training so far (evaluation not counted)
  step: number;
  valLoss: number;
}

export interface RaceResult {
  name: string;
  points: RacePoint[];
  steps: number;
  valLoss: number;
  /** Training tokens per CPU second. */
  tokensPerSec: number;
  /** Wall-clock seconds the training steps took (for comparison only: the budget is CPU time). */
  wallSeconds: number;
}

/** Milliseconds of CPU time this process has used, all threads, user + system. */
export function cpuClockMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export interface RaceOptions {
  /** CPU seconds of training per competitor. */
  seconds: number;
  batchSize: number;
  blockSize: number;
  evalPoints?: number; // evaluations spread over the budget (default 6)
  evalIters?: number; // val batches per evaluation (default 4)
  seed?: number;
  signal?: AbortSignal;
  onProgress?: (info: { name: string; seconds: number; step: number; valLoss?: number }) => void;
  /** The clock the budget is spent on, in ms (default cpuClockMs; tests inject a fake one). */
  clock?: () => number;
}

const toTensors = (b: Batch): [tf.Tensor2D, tf.Tensor2D] => [
  tf.tensor2d(b.x, [b.batchSize, b.blockSize], "int32"),
  tf.tensor2d(b.y, [b.batchSize, b.blockSize], "int32"),
];

/** Trains each competitor in turn for `seconds` of CPU time; returns their val-loss curves. */
export async function raceByCpuTime(competitors: Competitor[], data: TrainData, o: RaceOptions): Promise<RaceResult[]> {
  if (!(o.seconds > 0)) throw new Error(`raceByCpuTime: seconds must be > 0, got ${o.seconds}`);
  const clock = o.clock ?? cpuClockMs;
  const evalPoints = o.evalPoints ?? 6;
  const evalIters = o.evalIters ?? 4;
  const results: RaceResult[] = [];
  for (const c of competitors) {
    const sampler = new BatchSampler(data.train, o.batchSize, o.blockSize, o.seed ?? 0);
    const valLoss = (): number => {
      const val = new BatchSampler(data.val, o.batchSize, o.blockSize, (o.seed ?? 0) + 1); // same val batches every time
      let s = 0;
      for (let i = 0; i < evalIters; i++)
        s += readAndDispose(tf.tidy(() => c.loss(...toTensors(val.next()), false)))[0];
      return s / evalIters;
    };
    const opt = tf.train.adam(c.lr);
    const points: RacePoint[] = [{ seconds: 0, step: 0, valLoss: valLoss() }];
    o.onProgress?.({ name: c.name, seconds: 0, step: 0, valLoss: points[0].valLoss });
    let trained = 0; // ms on `clock`
    let wall = 0; // ms on the wall clock, reported only
    let step = 0;
    let nextEval = o.seconds / evalPoints;
    while (trained < o.seconds * 1000) {
      await new Promise((r) => setImmediate(r));
      if (o.signal?.aborted) break;
      const w0 = performance.now();
      const t0 = clock();
      const [x, y] = toTensors(sampler.next());
      const cost = opt.minimize(() => c.loss(x, y, true), true, c.variables);
      cost?.dataSync(); // wait for the step to finish before stopping the clock
      tf.dispose([x, y, cost!]);
      trained += clock() - t0;
      wall += performance.now() - w0;
      step++;
      o.onProgress?.({ name: c.name, seconds: trained / 1000, step });
      if (trained >= nextEval * 1000 || trained >= o.seconds * 1000) {
        const p = { seconds: trained / 1000, step, valLoss: valLoss() };
        points.push(p);
        o.onProgress?.({ name: c.name, ...p });
        nextEval += o.seconds / evalPoints;
      }
    }
    opt.dispose();
    const last = points[points.length - 1];
    results.push({
      name: c.name,
      points,
      steps: step,
      valLoss: last.valLoss,
      tokensPerSec: trained > 0 ? (step * o.batchSize * o.blockSize) / (trained / 1000) : 0,
      wallSeconds: wall / 1000,
    });
  }
  return results;
}

/** Wraps a GPT or a CharLSTM for the race. */
export function competitor(name: string, model: GPT | CharLSTM, lr: number): Competitor {
  if (model instanceof GPT) {
    let seed = 0; // a new dropout mask each step, the same ones every run
    return {
      name,
      lr,
      variables: Object.values(model.params),
      loss: (x, y, training) => model.loss(x, y, { training, dropoutSeed: training ? seed++ : undefined }),
    };
  }
  return { name, lr, variables: model.variables, loss: (x, y, training) => model.loss(x, y, training) };
}
