import { gguf as hfParse } from "@huggingface/gguf";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { CheckpointLike, describeGGUF, exportCheckpointGGUF } from "./export";
import { tensorValues, readGGUF } from "./gguf";
import { mulberry32 } from "../model/rng";

/** A checkpoint as src/train's loadCheckpoint returns it (state.json + model.safetensors). */
function fakeCheckpoint(positional = "learned"): CheckpointLike {
  const C = 32, V = 5, T = 8;
  const r = mulberry32(5);
  const t = (...shape: number[]) => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r() - 0.5) });
  return {
    state: { step: 7, model: { vocabSize: V, blockSize: T, nLayer: 1, nHead: 2, nEmbd: C, positional }, vocab: { kind: "char", chars: ["\n", " ", "a", "b", "c"] } },
    params: {
      wte: t(V, C), wpe: t(T, C), "h.0.ln_1.weight": t(C), "h.0.attn.c_attn.weight": t(C, 3 * C), "h.0.attn.c_proj.weight": t(C, C),
      "h.0.ln_2.weight": t(C), "h.0.mlp.c_fc.weight": t(C, 4 * C), "h.0.mlp.c_proj.weight": t(4 * C, C), "ln_f.weight": t(C),
    },
  };
}

describe("export gguf", () => {
  let dir = "";
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "llmlab-export-"))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("a checkpoint exports to Q8_0 that @huggingface/gguf reads and our reader decodes", async () => {
    const ck = fakeCheckpoint();
    const out = join(dir, "m.gguf");
    const s = exportCheckpointGGUF(ck, "q8_0", out);
    expect(s.tensors.find((x) => x.name === "blk.0.ffn_down.weight")).toEqual({ name: "blk.0.ffn_down.weight", type: "q8_0", shape: [32, 128] });
    const hf = await hfParse(out, { allowLocalFile: true });
    expect(hf.metadata["general.name"]).toBe("llmlab-step7");
    expect(hf.metadata["tokenizer.ggml.tokens"]).toEqual(["\n", " ", "a", "b", "c"]);
    expect(hf.tensorInfos.length).toBe(s.tensors.length);
    // The embedding [5, 32] is one block per row: dequantised values within Q8_0's step.
    const wte = tensorValues(readGGUF(out), "token_embd.weight");
    ck.params.wte.data.forEach((v, i) => expect(Math.abs(v - wte[i])).toBeLessThan(0.5 / 127 + 1e-6));
    const lines = describeGGUF(out);
    expect(lines[0]).toMatch(/^GGUF v3, \d+ metadata keys, 16 tensors/);
    expect(lines.some((l) => l.includes("general.architecture (string) = \"gpt2\""))).toBe(true);
  });

  test("refuses what gpt2 cannot hold and unknown types", () => {
    expect(() => exportCheckpointGGUF(fakeCheckpoint("rope"), "f32", join(dir, "x.gguf"))).toThrow(/learned positions only/);
    expect(() => exportCheckpointGGUF(fakeCheckpoint(), "q9" as never, join(dir, "x.gguf"))).toThrow(/--type must be one of/);
  });
});
