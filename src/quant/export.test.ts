import { gguf as hfParse } from "@huggingface/gguf";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { CheckpointLike, describeGGUF, exportCheckpointGGUF } from "./export";
import { dequantizeRow, quantizeRow } from "./ggml";
import { tensorValues, readGGUF } from "./gguf";
import { mulberry32 } from "../model/rng";

/** A checkpoint as src/train's loadCheckpoint returns it (state.json + model.safetensors). */
function fakeCheckpoint(positional = "learned", C = 32): CheckpointLike {
  const V = 5,
    T = 8;
  const r = mulberry32(5);
  const t = (...shape: number[]) => ({
    shape,
    data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r() - 0.5),
  });
  return {
    state: {
      step: 7,
      model: { vocabSize: V, blockSize: T, nLayer: 1, nHead: 2, nEmbd: C, positional },
      vocab: { kind: "char", chars: ["\n", " ", "a", "b", "c"] },
    },
    params: {
      wte: t(V, C),
      wpe: t(T, C),
      "h.0.ln_1.weight": t(C),
      "h.0.attn.c_attn.weight": t(C, 3 * C),
      "h.0.attn.c_proj.weight": t(C, C),
      "h.0.ln_2.weight": t(C),
      "h.0.mlp.c_fc.weight": t(C, 4 * C),
      "h.0.mlp.c_proj.weight": t(4 * C, C),
      "ln_f.weight": t(C),
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
    expect(s.tensors.find((x) => x.name === "blk.0.ffn_down.weight")).toEqual({
      name: "blk.0.ffn_down.weight",
      type: "q8_0",
      shape: [32, 128],
    });
    const hf = await hfParse(out, { allowLocalFile: true });
    const meta = hf.metadata as Record<string, unknown>; // typed per architecture; checked by value
    expect(meta["general.name"]).toBe("llmlab-step7");
    // GPT-2's byte alphabet: newline is "Ċ", space "Ġ" (llama.cpp's byte-level BPE reads them so).
    expect(meta["tokenizer.ggml.tokens"]).toEqual(["Ċ", "Ġ", "a", "b", "c"]);
    expect(meta["tokenizer.ggml.merges"]).toEqual([]);
    expect(hf.tensorInfos.length).toBe(s.tensors.length);
    // The embedding [5, 32] is one block per row: dequantised values within Q8_0's step.
    const wte = tensorValues(readGGUF(out), "token_embd.weight");
    ck.params.wte.data.forEach((v, i) => expect(Math.abs(v - wte[i])).toBeLessThan(0.5 / 127 + 1e-6));
    const lines = describeGGUF(out);
    expect(lines[0]).toMatch(/^GGUF v3, \d+ metadata keys, 16 tensors/);
    expect(lines.some((l) => l.includes('general.architecture (string) = "gpt2"'))).toBe(true);
  });

  test("q4_k / q6_k: rows of 256 hold k-quant blocks, shorter rows take llama.cpp's fallback (q5_0 / q8_0)", async () => {
    const ck = fakeCheckpoint("learned", 64); // ffn_down rows are 4*64 = 256 wide, the others 64
    for (const [type, fallback] of [
      ["q4_k", "q5_0"],
      ["q6_k", "q8_0"],
    ] as const) {
      const out = join(dir, `${type}.gguf`);
      const s = exportCheckpointGGUF(ck, type, out);
      const typeOf = (n: string) => s.tensors.find((x) => x.name === n)?.type;
      expect([
        typeOf("blk.0.ffn_down.weight"),
        typeOf("blk.0.ffn_up.weight"),
        typeOf("blk.0.attn_qkv.weight"),
        typeOf("token_embd.weight"),
        typeOf("blk.0.attn_norm.weight"),
      ]).toEqual([type, fallback, fallback, fallback, "f32"]);
      expect(s.notes.some((n) => n.includes(`stored as ${fallback}`))).toBe(true);
      const f = readGGUF(out);
      expect(Number(f.metadata["general.file_type"].value)).toBe(type === "q4_k" ? 14 : 18);
      // ffn_down is c_proj [256, 64] transposed to ggml's [64 rows, 256 cols]: one super-block a row.
      const w = ck.params["h.0.mlp.c_proj.weight"].data as Float32Array;
      const rows = Float32Array.from({ length: w.length }, (_, k) => w[(k % 256) * 64 + Math.floor(k / 256)]);
      expect(Array.from(tensorValues(f, "blk.0.ffn_down.weight"))).toEqual(
        Array.from(dequantizeRow(type, quantizeRow(type, rows), rows.length)),
      );
      expect(f.tensors.find((t) => t.name === "blk.0.ffn_down.weight")?.bytes).toBe(64 * (type === "q4_k" ? 144 : 210));
      const hf = await hfParse(out, { allowLocalFile: true }); // another reader agrees on the layout
      expect(hf.tensorInfos.find((t) => t.name === "blk.0.ffn_down.weight")?.dtype).toBe(type === "q4_k" ? 12 : 14);
    }
  });

  test("refuses what gpt2 cannot hold and unknown types", () => {
    expect(() => exportCheckpointGGUF(fakeCheckpoint("rope"), "f32", join(dir, "x.gguf"))).toThrow(
      /learned positions only/,
    );
    expect(() => exportCheckpointGGUF(fakeCheckpoint(), "q9" as never, join(dir, "x.gguf"))).toThrow(
      /--type must be one of/,
    );
  });
});
