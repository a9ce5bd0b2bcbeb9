import { gguf as hfParse } from "@huggingface/gguf";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { roundToFp16 } from "./fp16";
import { dequantizeRow, quantizeRow } from "./ggml";
import { kv, parseGGUF, readGGUF, tensorRawBytes, tensorValues } from "./gguf";
import { NamedArray, gpt2GGUF, gpt2TensorName } from "./gguf-gpt2";
import { encodeGGUF, writeGGUF } from "./gguf-write";
import { gaussian, mulberry32 } from "../model/rng";

const concat = (chunks: Uint8Array[]) => Buffer.concat(chunks.map((c) => Buffer.from(c)));

describe("GGUF", () => {
  let dir = "";
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "llmlab-gguf-"))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("header bytes of an empty file, worked by hand", () => {
    const b = concat(encodeGGUF({ "general.architecture": kv.str("gpt2") }, []));
    const want = Buffer.concat([
      Buffer.from("GGUF"),
      Buffer.from([3, 0, 0, 0]), // version 3
      Buffer.from([0, 0, 0, 0, 0, 0, 0, 0]), // tensor_count
      Buffer.from([2, 0, 0, 0, 0, 0, 0, 0]), // kv_count: architecture + alignment
      Buffer.from([20, 0, 0, 0, 0, 0, 0, 0]),
      Buffer.from("general.architecture"),
      Buffer.from([8, 0, 0, 0]), // string
      Buffer.from([4, 0, 0, 0, 0, 0, 0, 0]),
      Buffer.from("gpt2"),
      Buffer.from([17, 0, 0, 0, 0, 0, 0, 0]),
      Buffer.from("general.alignment"),
      Buffer.from([4, 0, 0, 0]), // uint32
      Buffer.from([32, 0, 0, 0]),
    ]);
    expect(b.subarray(0, want.length).toString("hex")).toBe(want.toString("hex"));
    expect(b.length).toBe(Math.ceil(want.length / 32) * 32); // padded to the alignment
  });

  // A tiny GPT-2 (2 layers, C = 32, vocab 40, context 16), with and without biases.
  const C = 32,
    V = 40,
    T = 16,
    L = 2;
  const g = gaussian(mulberry32(3));
  const arr = (...shape: number[]): NamedArray => ({
    shape,
    data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => g() * 0.1),
  });
  const params: Record<string, NamedArray> = { wte: arr(V, C), wpe: arr(T, C), "ln_f.weight": arr(C) };
  for (let l = 0; l < L; l++) {
    Object.assign(params, {
      [`h.${l}.ln_1.weight`]: arr(C),
      [`h.${l}.attn.c_attn.weight`]: arr(C, 3 * C),
      [`h.${l}.attn.c_proj.weight`]: arr(C, C),
      [`h.${l}.ln_2.weight`]: arr(C),
      [`h.${l}.mlp.c_fc.weight`]: arr(C, 4 * C),
      [`h.${l}.mlp.c_proj.weight`]: arr(4 * C, C),
    });
  }
  const hp = { name: "tiny", vocabSize: V, contextLength: T, nLayer: L, nHead: 4, nEmbd: C };
  const tokenizer = {
    model: "gpt2",
    tokens: Array.from({ length: V }, (_, i) => String.fromCharCode(97 + (i % 26)) + (i >= 26 ? "!" : "")),
    eosTokenId: 0,
  };

  for (const type of ["f32", "f16", "q8_0", "q4_0"] as const) {
    test(`${type}: round trip through our reader and @huggingface/gguf`, async () => {
      const { metadata, tensors } = gpt2GGUF(params, hp, type, tokenizer);
      const path = join(dir, `tiny-${type}.gguf`);
      const size = writeGGUF(path, metadata, tensors);
      expect(readFileSync(path).length).toBe(size);

      const f = readGGUF(path);
      expect(f.tensors.map((t) => t.name)).toEqual(tensors.map((t) => t.name));
      expect(f.metadata["gpt2.block_count"]).toEqual(kv.u32(L));
      expect(f.metadata["tokenizer.ggml.tokens"]).toEqual(kv.arr("string", tokenizer.tokens));
      // c_attn [C, 3C] (Conv1D) is stored [3C, C] = dims [C, 3C], blocks along C.
      const qkv = f.tensors.find((t) => t.name === "blk.0.attn_qkv.weight");
      expect(qkv).toMatchObject({ dims: [C, 3 * C], shape: [3 * C, C], type });
      const W = params["h.0.attn.c_attn.weight"];
      const Wt = new Float32Array(3 * C * C);
      for (let i = 0; i < C; i++) for (let o = 0; o < 3 * C; o++) Wt[o * C + i] = W.data[i * 3 * C + o];
      const back = tensorValues(f, "blk.0.attn_qkv.weight");
      const expected =
        type === "f32"
          ? Wt
          : type === "f16"
            ? Wt.map(roundToFp16)
            : dequantizeRow(type, quantizeRow(type, Wt), Wt.length);
      expect(Array.from(back)).toEqual(Array.from(expected));
      expect(f.tensors.find((t) => t.name === "blk.1.ffn_norm.weight")?.type).toBe("f32");
      expect(Array.from(tensorRawBytes(f, "blk.1.attn_qkv.bias"))).toEqual(new Array(3 * C * 4).fill(0)); // written as zeros

      const hf = await hfParse(path, { allowLocalFile: true });
      // The reader types only the keys it knows per architecture; ours are checked by value.
      const meta = hf.metadata as Record<string, unknown>;
      expect(meta["general.architecture"]).toBe("gpt2");
      expect(meta["gpt2.embedding_length"]).toBe(C);
      expect(meta["gpt2.attention.head_count"]).toBe(4);
      expect(meta["gpt2.attention.layer_norm_epsilon"]).toBeCloseTo(1e-5, 10);
      expect(meta["general.alignment"]).toBe(32);
      expect(meta["tokenizer.ggml.tokens"]).toEqual(tokenizer.tokens);
      expect(meta["tokenizer.ggml.eos_token_id"]).toBe(0);
      expect(meta["general.quantization_version"]).toBe(type.startsWith("q") ? 2 : undefined);
      expect(hf.tensorInfos.map((t) => t.name)).toEqual(f.tensors.map((t) => t.name));
      expect(hf.tensorInfos.map((t) => t.shape.map(Number))).toEqual(f.tensors.map((t) => t.dims));
      const ids = { f32: 0, f16: 1, q4_0: 2, q8_0: 8 };
      expect(hf.tensorInfos.find((t) => t.name === "token_embd.weight")?.dtype).toBe(ids[type]);
      expect(hf.tensorInfos.find((t) => t.name === "output_norm.weight")?.dtype).toBe(0);
      expect(hf.tensorInfos.map((t) => Number(t.offset))).toEqual(f.tensors.map((t) => t.offset));
      expect(Number(hf.tensorDataOffset)).toBe(f.dataOffset);
    });
  }

  test("tensor names follow llama.cpp's gpt2 mapping", () => {
    expect(gpt2TensorName("h.3.mlp.c_proj.weight")).toBe("blk.3.ffn_down.weight");
    expect(gpt2TensorName("ln_f.bias")).toBe("output_norm.bias");
    expect(() => gpt2TensorName("h.0.mlp.gate.weight")).toThrow(/not a GPT-2 parameter name/);
  });

  test("bad input: wrong magic, truncated file, quantised rows not multiples of 32", () => {
    expect(() => parseGGUF(new Uint8Array(16))).toThrow(/not a GGUF file/);
    const b = concat(
      encodeGGUF({ "general.architecture": kv.str("gpt2") }, [
        { name: "x", shape: [2, 32], type: "q8_0", data: new Float32Array(64) },
      ]),
    );
    expect(() => parseGGUF(b.subarray(0, b.length - 40))).toThrow(/runs past the end/);
    expect(() =>
      encodeGGUF({ "general.architecture": kv.str("gpt2") }, [
        { name: "x", shape: [2, 20], type: "q4_0", data: new Float32Array(40) },
      ]),
    ).toThrow(/multiple of 32/);
    expect(() => encodeGGUF({}, [])).toThrow(/general.architecture/);
  });
});
