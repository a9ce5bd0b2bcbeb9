// 07's checkers: the reference answer passes, the usual slips fail and are named.
import { initBackend } from "../../backend";
import { LoRATarget } from "../../finetune";
import { GPT } from "../../model";
import { fails, verdict } from "./testing";

beforeAll(async () => {
  await initBackend();
});

const loraParams =
  (opts: { layers?: boolean; square?: boolean } = {}) =>
  (model: GPT, targets: LoRATarget[], rank: number) => {
    const { nLayer, nEmbd: C, vocabSize } = model.config;
    const mlp = opts.square ? C : 4 * C;
    const shape: Record<LoRATarget, [number, number]> = {
      q: [C, C],
      k: [C, C],
      v: [C, C],
      "attn.c_proj": [C, C],
      "mlp.c_fc": [C, mlp],
      "mlp.c_proj": [mlp, C],
      wte: [vocabSize, C],
    };
    return targets.reduce(
      (n, t) => n + rank * (shape[t][0] + shape[t][1]) * (t === "wte" || opts.layers === false ? 1 : nLayer),
      0,
    );
  };

describe("07.1 LoRA's trainable parameters", () => {
  it("passes r·(d_in + d_out) per adapted matrix and layer, and names one layer only and square MLPs", () => {
    expect(verdict("07.1", loraParams()).ok).toBe(true);
    fails("07.1", loraParams({ layers: false }), /every one of the 2 layers/);
    fails("07.1", loraParams({ square: true }), /C × 4C/);
    fails("07.1", () => 0, /expected \d+/);
  });
});

describe("07.2 trainable parameters with frozen layers", () => {
  const trainable =
    (skipWpe: boolean, invert = false) =>
    (model: GPT, f: { embeddings: boolean; layers: number }) => {
      let kept = 0;
      for (const [name, v] of Object.entries(model.params)) {
        const layer = /^h\.(\d+)\./.exec(name);
        const frozen =
          (f.embeddings && (name === "wte" || (skipWpe && name === "wpe"))) ||
          (layer !== null && Number(layer[1]) < f.layers);
        if (frozen === invert) kept += v.size;
      }
      return kept;
    };
  it("passes the fine-tuner's count and names the frozen count and a forgotten wpe", () => {
    expect(verdict("07.2", trainable(true)).ok).toBe(true);
    fails("07.2", trainable(true, true), /that is the frozen count/);
    fails("07.2", trainable(false), /wpe is an embedding too/);
    fails("07.2", () => 0, /expected \d+/);
  });
});
