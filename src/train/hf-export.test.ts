// The Hugging Face folder's structure: GPT2LMHeadModel names and shapes, config, and a
// tokenizer.json that Hugging Face's own tokenizer implementation (@huggingface/tokenizers)
// reads to our ids. The logits are checked against PyTorch in tests/hf-export-torch.test.ts.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Tokenizer as HFTokenizer } from "@huggingface/tokenizers";
import { gptConfig } from "../model/config";
import { CharVocab } from "../tokenize/charVocab";
import { charTokenizerJSON, exportCheckpointHF, HFCheckpointLike } from "./hf-export";
import { parseSafetensors } from "./safetensors";
import { paramShapes } from "../model/gpt";

function fakeCheckpoint(over: Partial<ReturnType<typeof gptConfig>> = {}): HFCheckpointLike {
  const model = gptConfig({ vocabSize: 7, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 16, ...over });
  let k = 0;
  const params = Object.fromEntries(
    paramShapes(model).map(([name, shape]) => [
      name,
      { shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (k++ % 13) / 13 - 0.5) },
    ]),
  );
  return { state: { step: 3, model, vocab: { kind: "char", chars: ["\n", " ", "a", "b", "é", "😀", "z"] } }, params };
}

describe("export hf", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmlab-hf-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("GPT2LMHeadModel names and shapes; zero biases for a bias-free model; config says exact GELU", () => {
    const ck = fakeCheckpoint();
    const s = exportCheckpointHF(ck, path.join(dir, "a"));
    expect(s.files.map((f) => f.name)).toEqual([
      "config.json",
      "model.safetensors",
      "tokenizer.json",
      "tokenizer_config.json",
    ]);
    const st = parseSafetensors(fs.readFileSync(path.join(dir, "a", "model.safetensors")));
    expect(st.metadata).toEqual({ format: "pt" });
    const names = Object.keys(st.tensors);
    expect(names).toHaveLength(2 + 2 * 12 + 2); // wte, wpe; per layer 2 LNs + 4 linears, with biases; ln_f
    expect(st.tensors["transformer.h.1.attn.c_attn.weight"].shape).toEqual([16, 48]); // Conv1D [in, out]
    expect(st.tensors["transformer.h.1.mlp.c_proj.weight"].shape).toEqual([64, 16]);
    expect(Array.from(st.tensors["transformer.h.0.mlp.c_fc.weight"].data)).toEqual(
      Array.from(ck.params["h.0.mlp.c_fc.weight"].data),
    );
    expect(Array.from(st.tensors["transformer.h.0.mlp.c_fc.bias"].data).every((v) => v === 0)).toBe(true);
    expect(names.includes("lm_head.weight")).toBe(false); // tied: transformers re-ties it to wte
    const cfg = JSON.parse(fs.readFileSync(path.join(dir, "a", "config.json"), "utf8"));
    expect([
      cfg.model_type,
      cfg.activation_function,
      cfg.n_embd,
      cfg.n_layer,
      cfg.n_head,
      cfg.n_positions,
      cfg.vocab_size,
      cfg.tie_word_embeddings,
    ]).toEqual(["gpt2", "gelu", 16, 2, 2, 8, 7, true]);
    expect(s.notes.join(" ")).toMatch(/no biases/);
  });

  test("an untied lm_head becomes nn.Linear's [vocab, C]; real biases go across", () => {
    const ck = fakeCheckpoint({ tieWeights: false, bias: true });
    exportCheckpointHF(ck, path.join(dir, "b"));
    const st = parseSafetensors(fs.readFileSync(path.join(dir, "b", "model.safetensors")));
    const ours = ck.params["lm_head.weight"].data; // [C=16, V=7]
    const theirs = st.tensors["lm_head.weight"];
    expect(theirs.shape).toEqual([7, 16]);
    expect(theirs.data[3 * 16 + 5]).toBe(ours[5 * 7 + 3]);
    expect(Array.from(st.tensors["transformer.h.1.attn.c_proj.bias"].data)).toEqual(
      Array.from(ck.params["h.1.attn.c_proj.bias"].data),
    );
  });

  test("the char tokenizer.json gives our ids in Hugging Face's tokenizer and decodes back", () => {
    const chars = ["\n", " ", "!", "T", "a", "e", "h", "é", "😀"];
    const hf = new HFTokenizer(charTokenizerJSON(chars), { clean_up_tokenization_spaces: false });
    const text = "The 😀 há!\n  ah";
    const ids = Array.from(new CharVocab(chars).encode(text.replace("á", "a")));
    expect(hf.encode(text.replace("á", "a"), { add_special_tokens: false }).ids).toEqual(ids);
    expect(hf.decode(ids)).toBe(text.replace("á", "a"));
  });

  test("refuses RoPE (GPT-2 has absolute positions) and a tokenizer larger than the model", () => {
    expect(() => exportCheckpointHF(fakeCheckpoint({ positional: "rope" }), path.join(dir, "c"))).toThrow(
      /learned absolute positions/,
    );
    const big = { tokenizerJSON: charTokenizerJSON(Array.from("abcdefghij")) };
    expect(() => exportCheckpointHF(fakeCheckpoint(), path.join(dir, "d"), big)).toThrow(
      /ids up to 9, the model's vocabulary is 7/,
    );
  });
});
