import { learningRate } from ".";

// nanoGPT baby: lr 1e-3, min_lr 1e-4, warmup 100, lr_decay_iters 2000.
const c = { lr: 1e-3, minLr: 1e-4, warmupIters: 100, lrDecayIters: 2000 };

test("linear warmup: lr·(it+1)/(warmup+1)", () => {
  expect(learningRate(0, c)).toBeCloseTo(1e-3 / 101, 15);
  expect(learningRate(49, c)).toBeCloseTo((1e-3 * 50) / 101, 15);
  expect(learningRate(99, c)).toBeCloseTo((1e-3 * 100) / 101, 15);
});

test("cosine decay: lr at the end of warmup, midpoint, end, then minLr", () => {
  expect(learningRate(100, c)).toBeCloseTo(1e-3, 15);
  // midpoint 1050: cos(pi/2) = 0 -> (lr + minLr) / 2
  expect(learningRate(1050, c)).toBeCloseTo(5.5e-4, 15);
  // a quarter in, 575: 1e-4 + 0.5·(1 + cos(pi/4))·9e-4
  expect(learningRate(575, c)).toBeCloseTo(1e-4 + 0.5 * (1 + Math.SQRT1_2) * 9e-4, 15);
  expect(learningRate(2000, c)).toBeCloseTo(1e-4, 15);
  expect(learningRate(5000, c)).toBe(1e-4);
  expect(learningRate(7, { ...c, decayLr: false })).toBe(1e-3);
});
