// `llmlab export hf` against PyTorch: a checkpoint exported as a Hugging Face GPT-2 folder, run
// by tests/reference/hf_gpt2_forward.py (a GPT-2 forward over exactly GPT2LMHeadModel's tensor
// names, float64), gives our logits to 1e-4. Skipped where Debian's python3-torch is not
// installed (CI installs no torch), as tests/gpt-torch-reference.test.ts is.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs-core";
import { Command } from "commander";
import { register } from "../cli/commands/export";
import { initBackend } from "../src/backend";
import { GPT, PositionalEncoding } from "../src/model";
import { saveCharCheckpoint } from "./helpers/checkpoint";

const python = "/usr/bin/python3";
const hasTorch = fs.existsSync(python) && spawnSync(python, ["-c", "import torch, numpy"]).status === 0;
const maybe = hasTorch ? test : test.skip;
if (!hasTorch) console.log("export hf vs PyTorch skipped: /usr/bin/python3 with torch and numpy is not installed");

beforeAll(async () => {
  await initBackend();
});

async function exportHF(args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const spy = jest.spyOn(console, "log").mockImplementation((s: unknown) => void lines.push(String(s)));
  try {
    const program = new Command().exitOverride();
    register(program);
    await program.parseAsync(["node", "llmlab", "export", "hf", ...args]);
  } finally {
    spy.mockRestore();
  }
  return lines;
}

describe.each<[PositionalEncoding, boolean, boolean]>([
  ["learned", false, true], // the baby GPT: no biases, tied embeddings
  ["learned", true, false],
  ["sinusoidal", false, true],
])("export hf (%s positions, bias %s, tied %s) vs a PyTorch GPT-2 forward", (positional, bias, tieWeights) => {
  maybe("same logits to 1e-4", async () => {
    const V = 13,
      T = 16;
    const model = new GPT(
      { vocabSize: V, blockSize: T, nLayer: 2, nHead: 4, nEmbd: 32, positional, bias, tieWeights },
      { seed: 3 },
    );
    // larger than GPT-2's init, so that attention and GELU are far from linear
    Object.values(model.params).forEach((v, i) => {
      if (v.rank === 2 || v.name.includes("bias")) v.assign(tf.randomNormal(v.shape, 0, 0.3, "float32", 100 + i));
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmlab-hf-torch-"));
    const chars = Array.from("\n abcdefghijk");
    saveCharCheckpoint(path.join(dir, "ckpt"), model, chars);
    const lines = await exportHF(["--checkpoint", path.join(dir, "ckpt"), "--out", path.join(dir, "hf")]);
    expect(lines[0]).toMatch(/^wrote .*config\.json .*model\.safetensors .*tokenizer\.json/);

    const ids = [
      [0, 5, 2, 7, 3, 3, 9, 4, 12, 1, 1, 6, 8, 10, 11, 2],
      [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0, 1, 2],
    ];
    fs.writeFileSync(path.join(dir, "ids.json"), JSON.stringify(ids));
    const ref = JSON.parse(
      execFileSync(python, ["tests/reference/hf_gpt2_forward.py", path.join(dir, "hf"), path.join(dir, "ids.json")], {
        encoding: "utf8",
        maxBuffer: 1 << 26,
      }),
    ) as { logits: number[][][] };
    const ours = tf.tidy(() => model.forward(tf.tensor2d(ids, [2, T], "int32")).arraySync());
    let worst = 0;
    let scale = 0;
    ours.forEach((b, i) =>
      b.forEach((t, j) =>
        t.forEach((v, k) => {
          worst = Math.max(worst, Math.abs(v - ref.logits[i][j][k]));
          scale = Math.max(scale, Math.abs(v));
        }),
      ),
    );
    expect(scale).toBeGreaterThan(1); // logits that are not all near zero
    if (process.env.LLMLAB_SHOW) console.log(`worst |logit diff| ${worst} (max |logit| ${scale})`);
    expect({ worst, ok: worst < 1e-4 }).toEqual({ worst, ok: true });
    model.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
