// The way back: a gpt2-architecture GGUF file (ours, see gguf-gpt2.ts) as our GPT, with every
// weight dequantised to float32. So `llmlab generate --gguf` and the perplexity of a q8_0 or
// q4_0 file run our forward on exactly the numbers llama.cpp reads from that file.
import { GPT } from "../model/gpt";
import { GPTConfig } from "../model/config";
import { restoreParams } from "../train/checkpoint";
import type { CheckpointVocab } from "../train/checkpoint";
import { fromHFTokenizerJSON, toHFTokenizerJSON } from "../tokenize/hf";
import { GGUFFile, GGUFValue, readGGUF, tensorValues } from "./gguf";
import { gpt2TensorName } from "./gguf-gpt2";
import { charsFromTokens, hfJSONFromGGUFTokens } from "./gguf-vocab";

function scalar(f: GGUFFile, key: string): GGUFValue["value"] {
  const v = f.metadata[key];
  if (!v || v.type === "array") throw new Error(`GGUF: metadata ${key} is missing (or not a scalar)`);
  return v.value;
}

function num(f: GGUFFile, key: string): number {
  const v = scalar(f, key);
  if (typeof v !== "number") throw new Error(`GGUF: metadata ${key} is not a number`);
  return v;
}

function strings(f: GGUFFile, key: string): string[] {
  const v = f.metadata[key];
  if (!v || v.type !== "array") throw new Error(`GGUF: metadata ${key} is missing (or not an array)`);
  return v.value.map(String);
}

function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j];
  return out;
}

/** The model config a gpt2 GGUF file describes (biases always present: the format has them). */
export function ggufConfig(f: GGUFFile): GPTConfig {
  const arch = scalar(f, "general.architecture");
  if (arch !== "gpt2")
    throw new Error(`GGUF: general.architecture is ${JSON.stringify(arch)}; our GPT reads "gpt2" files`);
  const emb = f.tensors.find((t) => t.name === "token_embd.weight");
  if (!emb) throw new Error("GGUF: no token_embd.weight tensor");
  return {
    vocabSize: emb.shape[0],
    blockSize: num(f, "gpt2.context_length"),
    nLayer: num(f, "gpt2.block_count"),
    nHead: num(f, "gpt2.attention.head_count"),
    nEmbd: num(f, "gpt2.embedding_length"),
    dropout: 0,
    bias: true,
    positional: "learned",
    tieWeights: !f.tensors.some((t) => t.name === "output.weight"),
  };
}

/** Our checkpoint vocabulary from the file's tokenizer metadata (llmlab.vocab_kind says which). */
export function ggufVocab(f: GGUFFile): CheckpointVocab {
  const kind = f.metadata["llmlab.vocab_kind"]?.value;
  const tokens = strings(f, "tokenizer.ggml.tokens");
  if (kind === "char") return { kind: "char", chars: charsFromTokens(tokens) };
  if (kind === "bpe") {
    const types = (f.metadata["tokenizer.ggml.token_type"]?.value ?? []) as number[];
    const j = hfJSONFromGGUFTokens(
      tokens,
      types,
      strings(f, "tokenizer.ggml.merges"),
      String(scalar(f, "tokenizer.ggml.pre")),
    );
    return { kind: "bpe", tokenizer: toHFTokenizerJSON(fromHFTokenizerJSON(j)) }; // checked by building it
  }
  throw new Error(
    `GGUF: llmlab.vocab_kind is ${JSON.stringify(kind)}; generate reads the files llmlab export writes (char or bpe)`,
  );
}

/** A GPT holding the file's weights, dequantised; its vocabulary when the file has ours. */
export function gptFromGGUF(path: string): { model: GPT; vocab?: CheckpointVocab; file: GGUFFile } {
  const f = readGGUF(path);
  const config = ggufConfig(f);
  const model = new GPT(config);
  try {
    const params: Record<string, { dtype: "F32"; shape: number[]; data: Float32Array }> = {};
    for (const [name, v] of Object.entries(model.params)) {
      const gg = name === "lm_head.weight" ? "output.weight" : gpt2TensorName(name);
      const info = f.tensors.find((t) => t.name === gg);
      if (!info) throw new Error(`GGUF ${path}: no tensor ${gg} (our ${name})`);
      let data = tensorValues(f, gg);
      // Linear weights are stored [out, in] (ggml's layout); ours are Conv1D [in, out].
      if (/\.(c_attn|c_proj|c_fc)\.weight$/.test(name) || name === "lm_head.weight")
        data = transpose(data, info.shape[0], info.shape[1]);
      params[name] = { dtype: "F32", shape: [...v.shape], data };
    }
    restoreParams(model, params, `GGUF ${path}`);
  } catch (e) {
    model.dispose();
    throw e;
  }
  const vocab = f.metadata["llmlab.vocab_kind"] ? ggufVocab(f) : undefined;
  return { model, vocab, file: f };
}
