import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../backend";
import { GPT } from "../model";
import { fullLoss, windowStarts } from ".";

beforeAll(async () => {
  await initBackend();
});

test("windowStarts: non-overlapping, the target of the last window still inside the stream", () => {
  expect(windowStarts(17, 8)).toEqual([0, 8]); // 8 + 8 + 1 = 17 fits
  expect(windowStarts(16, 8)).toEqual([0]); // the second window's last target would be s[16]
  expect(windowStarts(8, 8)).toEqual([]);
});

test("fullLoss = mean of model.loss over every window, one at a time, whatever the batch size", () => {
  const model = new GPT({ vocabSize: 7, blockSize: 4, nLayer: 1, nHead: 2, nEmbd: 8 }, { seed: 2 });
  Object.values(model.params).forEach(
    (v, i) => v.rank === 2 && v.assign(tf.randomNormal(v.shape, 0, 0.5, "float32", i)),
  );
  const a = Int32Array.from({ length: 23 }, (_, i) => (i * 5 + 3) % 7); // windows at 0, 4, 8, 12, 16
  const b = Int32Array.from({ length: 9 }, (_, i) => (i * 3 + 1) % 7); // windows at 0, 4
  let sum = 0;
  let n = 0;
  for (const s of [a, b]) {
    for (let i = 0; i + 5 <= s.length; i += 4) {
      const x = tf.tensor2d(Array.from(s.slice(i, i + 4)), [1, 4], "int32");
      const y = tf.tensor2d(Array.from(s.slice(i + 1, i + 5)), [1, 4], "int32");
      sum += model.loss(x, y).dataSync()[0];
      n++;
    }
  }
  expect(n).toBe(7);
  for (const batchSize of [1, 3, 64]) expect(fullLoss(model, [a, b], { batchSize })).toBeCloseTo(sum / n, 5);
  // a single stream is one shard
  expect(fullLoss(model, a)).toBeCloseTo(fullLoss(model, [a]), 6);
  expect(() => fullLoss(model, [a.slice(0, 4)])).toThrow(/no shard holds a window/);
  model.dispose();
});

test("fullLoss of a model with zero logits is ln(vocabSize)", () => {
  const model = new GPT({ vocabSize: 5, blockSize: 4, nLayer: 1, nHead: 1, nEmbd: 4 }, { seed: 1 });
  model.params["wte"].assign(tf.zeros(model.params["wte"].shape)); // tied head: every logit 0
  expect(fullLoss(model, Int32Array.from([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]))).toBeCloseTo(Math.log(5), 5);
  model.dispose();
});
