// Learning-rate schedule of nanoGPT's train.py: linear warmup, then cosine decay to minLr
// (Loshchilov & Hutter's SGDR without restarts), then flat at minLr.

export interface ScheduleConfig {
  lr: number;
  minLr: number;
  warmupIters: number;
  lrDecayIters: number;
  decayLr?: boolean; // false: constant lr
}

export function learningRate(it: number, c: ScheduleConfig): number {
  if (c.decayLr === false) return c.lr;
  // (it + 1) / (warmup + 1) as nanoGPT has it: step 0 already moves, step warmup-1 is just below lr.
  if (it < c.warmupIters) return (c.lr * (it + 1)) / (c.warmupIters + 1);
  if (it > c.lrDecayIters) return c.minLr;
  const span = c.lrDecayIters - c.warmupIters;
  const ratio = span > 0 ? (it - c.warmupIters) / span : 1;
  const coeff = 0.5 * (1 + Math.cos(Math.PI * ratio)); // 1 -> 0
  return c.minLr + coeff * (c.lr - c.minLr);
}
