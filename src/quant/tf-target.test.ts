import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { diffNorm } from "./matrix";
import { gptqSequential, rtnAll } from "./sequential";
import { Capture, captureTarget, gpt2Steps, tfLinear } from "./tf-target";
import { correlatedInputs, randomMatrix } from "./random-matrices";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("tfjs QuantTarget", () => {
  test("a Conv1D-layout variable is read and written as W [out, in]", () => {
    const v = tf.variable(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3])); // [in 2, out 3]
    const l = tfLinear("w", v);
    expect([l.rows, l.cols]).toEqual([3, 2]);
    expect(Array.from(l.getWeight())).toEqual([1, 4, 2, 5, 3, 6]);
    l.setWeight(Float32Array.from([10, 40, 20, 50, 30, 60]));
    expect(Array.from(v.dataSync())).toEqual([10, 20, 30, 40, 50, 60]);
    expect(() => l.setWeight(new Float32Array(5))).toThrow(/expects 6 values/);
    v.dispose();
  });

  test("GPTQ through captured tfjs activations beats RTN on a 2-layer tfjs MLP", async () => {
    const X = correlatedInputs(128, 32, 21);
    const init = [randomMatrix(32, 64, 22, 0.3), randomMatrix(64, 16, 23, 0.2)]; // [in, out]
    const build = () => {
      const vars = init.map((m) => tf.variable(tf.tensor2d(m.data, [m.rows, m.cols])));
      const run = (capture?: Capture) =>
        tf.tidy(() => {
          const x = tf.tensor2d(X.data, [X.rows, X.cols]);
          capture?.("fc", x);
          const h = tf.tanh(tf.matMul(x, vars[0])) as tf.Tensor2D;
          capture?.("proj", h);
          return tf.matMul(h, vars[1]).dataSync() as Float32Array;
        });
      const layers = [tfLinear("fc", vars[0]), tfLinear("proj", vars[1])];
      return { vars, run, target: captureTarget([[layers[0]], [layers[1]]], (c) => void run(c)) };
    };
    const ref = build();
    const Y = ref.run();
    const g = build();
    await gptqSequential(g.target, { bits: 3 });
    const r = build();
    rtnAll(r.target, { bits: 3 });
    expect(diffNorm(g.run(), Y)).toBeLessThan(0.9 * diffNorm(r.run(), Y));
    [ref, g, r].forEach((m) => m.vars.forEach((v) => v.dispose()));
  });

  test("GPT-2 steps in true-sequential order", () => {
    expect(gpt2Steps(1)).toEqual([
      ["h.0.attn.c_attn.weight"],
      ["h.0.attn.c_proj.weight"],
      ["h.0.mlp.c_fc.weight"],
      ["h.0.mlp.c_proj.weight"],
    ]);
    expect(gpt2Steps(2, false)[1]).toHaveLength(4);
  });
});
