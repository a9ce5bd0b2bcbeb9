// A checkpoint as a Hugging Face GPT-2 model folder, the hand-off to PyTorch and its trainers:
// config.json (GPT2Config), model.safetensors (GPT2LMHeadModel's state dict names) and the
// tokenizer files of the checkpoint's vocabulary. Our parameters already carry GPT-2's names
// and its Conv1D layout (linear weights [in, out]), so the tensors go across unchanged, under
// the "transformer." prefix GPT2LMHeadModel.save_pretrained writes. What HF's GPT-2 has and
// our baby GPT may not is filled in so the function is the same:
// - biases (Linear and LayerNorm): zeros where config.bias is false;
// - GELU: ours is exact (x·Φ(x)); GPT-2's default "gelu_new" is the tanh approximation, so
//   config.json says "activation_function": "gelu" (transformers' exact erf GELU);
// - positions: learned wpe as is; sinusoidal positions as their fixed table in wpe (the same
//   sum); RoPE and "none" have no place in GPT-2 ("none" would be a zero wpe, which we allow).
import * as fs from "fs";
import * as path from "path";
import { GPTConfig } from "../model/config";
import { sinusoidalTable } from "../model/positional";
import { CheckpointVocab, writeFileAtomic } from "./checkpoint";
import { NamedTensor, serializeSafetensors } from "./safetensors";
import { bpeTokenizerJSON } from "../tokenize/hf";

export interface HFCheckpointLike {
  state: { step?: number; model: GPTConfig; vocab?: CheckpointVocab };
  params: Record<string, { shape: number[]; data: Float32Array | Int32Array }>;
}

/** A tokenizer for the folder: Hugging Face tokenizer.json content (e.g. our BPE's toJSON()). */
export interface HFTokenizerFiles {
  tokenizerJSON: object;
  /** Shown in tokenizer_config.json; the end-of-text token for BPE models. */
  eosToken?: string;
}

/** GPT2Config for our model (transformers' field names). */
export function hfGPT2Config(
  c: GPTConfig,
  extra: { eosTokenId?: number; bosTokenId?: number } = {},
): Record<string, unknown> {
  return {
    architectures: ["GPT2LMHeadModel"],
    model_type: "gpt2",
    vocab_size: c.vocabSize,
    n_positions: c.blockSize,
    n_ctx: c.blockSize,
    n_embd: c.nEmbd,
    n_layer: c.nLayer,
    n_head: c.nHead,
    n_inner: null, // 4 * n_embd
    activation_function: "gelu", // exact GELU, as our model computes (GPT-2's own is "gelu_new", tanh)
    resid_pdrop: c.dropout,
    embd_pdrop: c.dropout,
    attn_pdrop: c.dropout,
    layer_norm_epsilon: 1e-5,
    initializer_range: 0.02,
    scale_attn_weights: true,
    scale_attn_by_inverse_layer_idx: false,
    reorder_and_upcast_attn: false,
    tie_word_embeddings: c.tieWeights,
    bos_token_id: extra.bosTokenId ?? null,
    eos_token_id: extra.eosTokenId ?? null,
    use_cache: true,
    torch_dtype: "float32",
  };
}

/** Our parameters as GPT2LMHeadModel's state dict (float32, GPT-2 names, Conv1D [in, out]). */
export function hfGPT2Tensors(ck: HFCheckpointLike): { tensors: Record<string, NamedTensor>; notes: string[] } {
  const c = ck.state.model;
  const C = c.nEmbd;
  const notes: string[] = [];
  const get = (name: string): Float32Array => {
    const p = ck.params[name];
    if (!p) throw new Error(`export hf: the checkpoint has no parameter ${name}`);
    if (!(p.data instanceof Float32Array)) throw new Error(`export hf: parameter ${name} is not float32`);
    return p.data;
  };
  const out: Record<string, NamedTensor> = {};
  const put = (name: string, shape: number[], data: Float32Array) => {
    const n = shape.reduce((a, b) => a * b, 1);
    if (data.length !== n) throw new Error(`export hf: ${name} has ${data.length} values, shape [${shape}] needs ${n}`);
    out[name] = { dtype: "F32", shape, data };
  };
  const optional = (name: string, n: number): Float32Array => {
    if (ck.params[name]) return get(name);
    return new Float32Array(n);
  };
  put("transformer.wte.weight", [c.vocabSize, C], get("wte"));
  if (c.positional === "learned") put("transformer.wpe.weight", [c.blockSize, C], get("wpe"));
  else if (c.positional === "sinusoidal") {
    put("transformer.wpe.weight", [c.blockSize, C], sinusoidalTable(c.blockSize, C));
    notes.push("sinusoidal positions written as their fixed table in wpe (GPT-2 adds wpe the same way)");
  } else if (c.positional === "none") {
    put("transformer.wpe.weight", [c.blockSize, C], new Float32Array(c.blockSize * C));
    notes.push('positional "none": wpe is all zeros');
  } else
    throw new Error(
      `export hf: GPT-2 has learned absolute positions; a model with positional="${c.positional}" cannot be written as GPT-2`,
    );
  if (!c.bias) notes.push("the model has no biases: Linear and LayerNorm biases written as zeros");
  const linears: [string, number, number][] = [
    ["attn.c_attn", C, 3 * C],
    ["attn.c_proj", C, C],
    ["mlp.c_fc", C, 4 * C],
    ["mlp.c_proj", 4 * C, C],
  ];
  for (let l = 0; l < c.nLayer; l++) {
    const h = `h.${l}.`;
    for (const ln of ["ln_1", "ln_2"]) {
      put(`transformer.${h}${ln}.weight`, [C], get(`${h}${ln}.weight`));
      put(`transformer.${h}${ln}.bias`, [C], optional(`${h}${ln}.bias`, C));
    }
    for (const [name, i, o] of linears) {
      put(`transformer.${h}${name}.weight`, [i, o], get(`${h}${name}.weight`)); // Conv1D: [in, out], as ours
      put(`transformer.${h}${name}.bias`, [o], optional(`${h}${name}.bias`, o));
    }
  }
  put("transformer.ln_f.weight", [C], get("ln_f.weight"));
  put("transformer.ln_f.bias", [C], optional("ln_f.bias", C));
  if (!c.tieWeights) {
    // lm_head is an nn.Linear: weight [out, in] = [vocab, C]; ours is x @ W with W [C, vocab].
    const w = get("lm_head.weight");
    const t = new Float32Array(w.length);
    for (let i = 0; i < C; i++) for (let v = 0; v < c.vocabSize; v++) t[v * C + i] = w[i * c.vocabSize + v];
    put("lm_head.weight", [c.vocabSize, C], t);
  }
  return { tensors: out, notes };
}

/**
 * tokenizer.json for a character vocabulary: a BPE model with no merges and no pre-tokenizer
 * splits the text into code points and looks each up, which is exactly our CharVocab.encode;
 * the Fuse decoder joins tokens without spaces.
 */
export function charTokenizerJSON(chars: string[]): object {
  const vocab: Record<string, number> = {};
  chars.forEach((ch, id) => {
    if (Array.from(ch).length !== 1)
      throw new Error(`export hf: vocabulary entry ${id} (${JSON.stringify(ch)}) is not one character`);
    vocab[ch] = id;
  });
  return bpeTokenizerJSON({ vocab, merges: [], added_tokens: [], pre_tokenizer: null, decoder: { type: "Fuse" } });
}

export interface HFExportSummary {
  dir: string;
  files: { name: string; bytes: number }[];
  notes: string[];
}

/** Write the model folder; every file goes through a temp file and a rename. */
export function exportCheckpointHF(
  ck: HFCheckpointLike,
  outDir: string,
  tokenizer?: HFTokenizerFiles,
): HFExportSummary {
  const c = ck.state.model;
  const { tensors, notes } = hfGPT2Tensors(ck);
  let tok = tokenizer;
  const v = ck.state.vocab;
  if (!tok && v?.kind === "char") tok = { tokenizerJSON: charTokenizerJSON(v.chars) };
  // A model trained with --tokenizer carries its BPE; <|endoftext|> is its EOS, as in the GGUF.
  if (!tok && v?.kind === "bpe")
    tok = {
      tokenizerJSON: v.tokenizer,
      eosToken: v.tokenizer.added_tokens.some((t) => t.content === "<|endoftext|>") ? "<|endoftext|>" : undefined,
    };
  if (!tok)
    notes.push(
      "no tokenizer: the checkpoint has no vocabulary and none was given (--tokenizer), so the folder has no tokenizer files",
    );
  const vocabOf = (j: object): number => {
    const m = j as { model?: { vocab?: Record<string, number> }; added_tokens?: { id: number }[] };
    const ids = [...Object.values(m.model?.vocab ?? {}), ...(m.added_tokens ?? []).map((t) => t.id)];
    return ids.length ? Math.max(...ids) + 1 : 0;
  };
  if (tok && vocabOf(tok.tokenizerJSON) > c.vocabSize)
    throw new Error(
      `export hf: the tokenizer has ids up to ${vocabOf(tok.tokenizerJSON) - 1}, the model's vocabulary is ${c.vocabSize}`,
    );
  const eosId =
    tok?.eosToken !== undefined
      ? ((tok.tokenizerJSON as { added_tokens?: { id: number; content: string }[] }).added_tokens ?? []).find(
          (t) => t.content === tok!.eosToken,
        )?.id
      : undefined;
  fs.mkdirSync(outDir, { recursive: true });
  const files: HFExportSummary["files"] = [];
  const write = (name: string, data: Buffer | string) => {
    writeFileAtomic(path.join(outDir, name), data);
    files.push({ name, bytes: Buffer.byteLength(data) });
  };
  write("config.json", JSON.stringify(hfGPT2Config(c, { eosTokenId: eosId, bosTokenId: eosId }), null, 2) + "\n");
  write("model.safetensors", serializeSafetensors(tensors, { format: "pt" })); // transformers refuses files without format "pt"
  if (tok) {
    write("tokenizer.json", JSON.stringify(tok.tokenizerJSON));
    const cfg: Record<string, unknown> = {
      tokenizer_class: "PreTrainedTokenizerFast",
      model_max_length: c.blockSize,
      clean_up_tokenization_spaces: false,
    };
    if (tok.eosToken) Object.assign(cfg, { eos_token: tok.eosToken, bos_token: tok.eosToken });
    write("tokenizer_config.json", JSON.stringify(cfg, null, 2) + "\n");
  }
  return { dir: outDir, files, notes };
}
