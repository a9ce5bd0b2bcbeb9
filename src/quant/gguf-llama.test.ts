// The pieces of a llama.cpp-ready GGUF that need no llama.cpp to check (tests/llama-cpp.test.ts
// runs the files in llama.cpp itself): the character vocabulary in GPT-2's byte alphabet, the
// way back from a file to our GPT, and the LoRA file's A/B layout.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { GPT } from "../model/gpt";
import { BPETokenizer } from "../tokenize/bpe";
import { trainBPE } from "../tokenize/train";
import { exportCheckpointGGUF, modelCheckpoint } from "./export";
import { readGGUF, tensorValues } from "./gguf";
import { gptFromGGUF } from "./gguf-model";
import { exportLoRAGGUF } from "./gguf-lora";
import { bpeVocabTokenizer, charVocabTokenizer, charsFromTokens, hfJSONFromGGUFTokens, TOKEN_TYPE } from "./gguf-vocab";
import { fromHFTokenizerJSON } from "../tokenize/hf";
import { mulberry32 } from "../model/rng";

let dir = "";
beforeAll(async () => {
  await tf.setBackend("cpu");
  dir = mkdtempSync(join(tmpdir(), "llmlab-gguf-llama-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a character vocabulary in GPT-2's byte alphabet, with merges only inside multi-byte characters", () => {
  const chars = ["\n", " ", "a", "é", "—", "😀"];
  const t = charVocabTokenizer(chars);
  // bytes_to_unicode: 0x0A -> U+010A "Ċ", 0x20 -> "Ġ"; é = C3 A9 -> "Ã©"; — = E2 80 94 -> "âĢĶ".
  expect(t.tokens.slice(0, 5)).toEqual(["Ċ", "Ġ", "a", "Ã©", "âĢĶ"]);
  expect(t.merges).toEqual(["Ã ©", "â Ģ", "âĢ Ķ", "ð Ł", "ðŁ ĺ", "ðŁĺ Ģ"]);
  expect(charsFromTokens(t.tokens)).toEqual(chars);
  expect(() => charVocabTokenizer(["a", "a"])).toThrow(/entries 0 and 1 are the same character/);
  expect(() => charVocabTokenizer(["ab"])).toThrow(/is not one character/);
});

test("a BPE tokenizer's GGUF vocabulary rebuilds the same tokenizer (ids, merges, <|endoftext|> as EOS)", () => {
  const text = "the cat sat on the mat. the dog sat on the log! ".repeat(30);
  const tok = trainBPE(text, { vocabSize: 300 });
  const g = bpeVocabTokenizer(tok);
  expect(g.tokens.length).toBe(tok.vocabSize);
  expect(g.eosTokenId).toBe(tok.specialTokens["<|endoftext|>"]);
  expect(g.tokenTypes![g.eosTokenId!]).toBe(TOKEN_TYPE.control);
  expect(g.pre).toBe("dbrx"); // GPT-4's split without llama-bpe's ignore_merges
  const back = fromHFTokenizerJSON(hfJSONFromGGUFTokens(g.tokens, g.tokenTypes!, g.merges!, g.pre!)) as BPETokenizer;
  const sample = "the cat sat on a log, the dog on the mat.";
  expect(back.encode(sample)).toEqual(tok.encode(sample));
});

test("a GGUF file read back as our GPT gives the checkpoint's logits (f32) and the dequantised weights (q8_0)", () => {
  const model = new GPT({ vocabSize: 5, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 32 }, { seed: 3 });
  const ck = modelCheckpoint(model, ["\n", " ", "a", "b", "c"]);
  const idx = tf.tensor2d([[0, 1, 2, 3, 4, 2]], [1, 6], "int32");
  const logits = (m: GPT) => tf.tidy(() => m.forward(idx)).dataSync();
  const want = logits(model);
  exportCheckpointGGUF(ck, "f32", join(dir, "f32.gguf"));
  const f32 = gptFromGGUF(join(dir, "f32.gguf"));
  expect(f32.vocab).toEqual({ kind: "char", chars: ["\n", " ", "a", "b", "c"] });
  const got = logits(f32.model);
  want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
  exportCheckpointGGUF(ck, "q8_0", join(dir, "q8.gguf"));
  const q8 = gptFromGGUF(join(dir, "q8.gguf"));
  // c_fc is stored [out, in] in the file and [in, out] in our model.
  const file = tensorValues(readGGUF(join(dir, "q8.gguf")), "blk.0.ffn_up.weight");
  const ours = q8.model.params["h.0.mlp.c_fc.weight"].dataSync();
  expect(ours[1 * 128 + 5]).toBe(file[5 * 32 + 1]);
  expect(Array.from(logits(q8.model))).not.toEqual(Array.from(got));
  [model, f32.model, q8.model].forEach((m) => m.dispose());
  idx.dispose();
});

test("a LoRA file holds scale·A·B in llama.cpp's layout: q and v blocks of attn_qkv as one adapter", () => {
  const r = mulberry32(7);
  const C = 4,
    rank = 2,
    scale = 1.5;
  const mat = (rows: number, cols: number) => ({
    shape: [rows, cols],
    data: Float32Array.from({ length: rows * cols }, () => r() - 0.5),
  });
  const q = { param: "h.0.attn.c_attn.weight", col: 0, cols: C, A: mat(C, rank), B: mat(rank, C) };
  const v = { param: "h.0.attn.c_attn.weight", col: 2 * C, cols: C, A: mat(C, rank), B: mat(rank, C) };
  const up = { param: "h.0.mlp.c_fc.weight", col: 0, cols: 4 * C, A: mat(C, rank), B: mat(rank, 4 * C) };
  const out = join(dir, "lora.gguf");
  exportLoRAGGUF([q, v, up], { "h.0.attn.c_attn.weight": 3 * C, "h.0.mlp.c_fc.weight": 4 * C }, scale, out);
  const f = readGGUF(out);
  expect(f.metadata["general.type"].value).toBe("adapter");
  expect(f.metadata["adapter.type"].value).toBe("lora");
  const info = (n: string) => f.tensors.find((t) => t.name === n)!;
  expect(info("blk.0.attn_qkv.weight.lora_a").dims).toEqual([C, 2 * rank]); // ggml ne: [in, r]
  expect(info("blk.0.attn_qkv.weight.lora_b").dims).toEqual([2 * rank, 3 * C]); // [r, out]
  // llama.cpp adds B·(A·x): the update to W[out][in] is sum_k b[out][k] a[k][in]. Ours: scale·(A B)[in][col].
  const a = tensorValues(f, "blk.0.attn_qkv.weight.lora_a"),
    b = tensorValues(f, "blk.0.attn_qkv.weight.lora_b");
  const R = 2 * rank;
  for (let o = 0; o < 3 * C; o++) {
    for (let i = 0; i < C; i++) {
      let theirs = 0;
      for (let k = 0; k < R; k++) theirs += b[o * R + k] * a[k * C + i];
      const ad = o < C ? q : o >= 2 * C ? v : undefined;
      let ours = 0;
      if (ad) for (let k = 0; k < rank; k++) ours += scale * ad.A.data[i * rank + k] * ad.B.data[k * C + (o - ad.col)];
      expect(theirs).toBeCloseTo(ours, 6);
    }
  }
  expect(() => exportLoRAGGUF([{ ...up, param: "wte" }], {}, scale, out)).toThrow(/wte/);
});
