// Our GPT against an independent PyTorch implementation (tests/reference/gpt_torch.py, float64):
// same weights, same batch -> same loss and gradients. Skipped where Debian's python3-torch
// is not installed (CI installs no torch); run it locally when the model changes.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../src/backend";
import { GPT, PositionalEncoding } from "../src/model";
import { serializeSafetensors } from "../src/train";

import { PYTHON as python, TORCH, systemPackages } from "./helpers/system";

const hasTorch = systemPackages(__filename, TORCH);
const maybe = hasTorch ? test : test.skip;

beforeAll(async () => {
  await initBackend();
});

describe.each<[PositionalEncoding, boolean, boolean]>([
  ["learned", false, true],
  ["rope", true, true],
  ["sinusoidal", true, false],
])("GPT (%s positions, bias %s, tied %s) vs PyTorch", (positional, bias, tieWeights) => {
  maybe("loss and every gradient agree to float32 precision", () => {
    const model = new GPT(
      { vocabSize: 11, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 16, positional, bias, tieWeights },
      { seed: 4 },
    );
    // larger than GPT-2 init so that attention is far from uniform
    Object.values(model.params).forEach((v, i) => {
      if (v.rank === 2) v.assign(tf.randomNormal(v.shape, 0, 0.3, "float32", i));
    });
    const x = [
      [1, 5, 2, 7, 3, 3, 9, 4],
      [0, 10, 6, 6, 2, 8, 1, 5],
    ];
    const y = [
      [5, 2, 7, 3, 3, 9, 4, 0],
      [10, 6, 6, 2, 8, 1, 5, 5],
    ];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmlab-torch-"));
    const tensors = Object.fromEntries(
      Object.entries(model.params).map(([k, v]) => [
        k,
        { dtype: "F32" as const, shape: v.shape, data: v.dataSync() as Float32Array },
      ]),
    );
    fs.writeFileSync(path.join(dir, "model.safetensors"), serializeSafetensors(tensors));
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(model.config));
    fs.writeFileSync(path.join(dir, "batch.json"), JSON.stringify({ x, y }));
    const ref = JSON.parse(execFileSync(python, ["tests/reference/gpt_torch.py", dir], { encoding: "utf8" })) as {
      loss: number;
      grads: Record<string, number[]>;
    };

    const xt = tf.tensor2d(x, [2, 8], "int32");
    const yt = tf.tensor2d(y, [2, 8], "int32");
    const { value, grads } = tf.variableGrads(() => model.loss(xt, yt), Object.values(model.params));
    expect(Math.abs(value.dataSync()[0] - ref.loss)).toBeLessThan(1e-5 * ref.loss);
    for (const [name, v] of Object.entries(model.params)) {
      const ours = grads[v.name].dataSync();
      const theirs = ref.grads[name];
      const scale = Math.max(...theirs.map(Math.abs));
      // float32 vs float64: agreement to ~1e-4 of the largest gradient entry of the tensor
      const worst = Math.max(...theirs.map((g, i) => Math.abs(g - ours[i])));
      expect({ name, ok: worst <= 1e-4 * scale + 1e-7 }).toEqual({ name, ok: true });
    }
    model.dispose();
  });
});
