// 04's checkers: the reference answer passes, the usual slips fail and are named.
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../../backend";
import { GPT } from "../../model";
import { fails, verdict } from "./testing";

beforeAll(async () => {
  await initBackend();
});

type Attend = (q: number[], keys: number[][], values: number[][]) => number[];
const attention =
  (scale: (D: number) => number, norm: (s: number[]) => number[]): Attend =>
  (q, keys, values) => {
    const w = norm(keys.map((k) => k.reduce((s, kd, d) => s + q[d] * kd, 0) * scale(q.length)));
    return values[0].map((_, d) => values.reduce((s, v, j) => s + w[j] * v[d], 0));
  };
const softmax = (s: number[]) => {
  const e = s.map(Math.exp);
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / z);
};

describe("04.1 attention for one query", () => {
  it("passes softmax(q·k/√D)·V and names a missing scale, a missing softmax and zeros", () => {
    expect(
      verdict(
        "04.1",
        attention((D) => 1 / Math.sqrt(D), softmax),
      ).ok,
    ).toBe(true);
    fails(
      "04.1",
      attention(() => 1, softmax),
      /without the 1\/√D scale/,
    );
    fails(
      "04.1",
      attention(
        (D) => 1 / Math.sqrt(D),
        (s) => s,
      ),
      /softmax them first/,
    );
    fails("04.1", (q: number[]) => q.map(() => 0), /expected \[/);
    fails("04.1", [0, 0, 0, 0], /expected your function/);
  });
});

describe("04.2 the shuffle test", () => {
  const model = (positional: "none" | "sinusoidal", nLayer = 1, std = 0.5) => {
    const m = new GPT({ vocabSize: 10, blockSize: 16, nLayer, nHead: 2, nEmbd: 16, positional }, { seed: 2 });
    if (std)
      for (const v of Object.values(m.params))
        if (v.rank === 2) v.assign(tf.randomNormal(v.shape, 0, std, "float32", 3));
    return m;
  };
  const probe = [1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3];
  it("passes a blind and a sighted one-layer model, and explains the wrong ones", () => {
    expect(verdict("04.2", { none: model("none"), sinusoidal: model("sinusoidal"), probe }).ok).toBe(true);
    fails("04.2", { none: model("none", 2), sinusoidal: model("sinusoidal"), probe }, /causal mask/);
    fails(
      "04.2",
      { none: model("sinusoidal"), sinusoidal: model("sinusoidal"), probe },
      /positional: "sinusoidal"; build it with positional: "none"/,
    );
    fails("04.2", { none: model("none", 1, 0), sinusoidal: model("sinusoidal", 1, 0), probe }, /larger weights/);
    fails("04.2", { none: undefined, sinusoidal: undefined, probe }, /must be llm.model.GPT models/);
  });
});
