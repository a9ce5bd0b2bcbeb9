// A GPT-2-style model as a GGUF file with llama.cpp's "gpt2" architecture: its metadata
// keys (gguf.md, "GPT-2") and tensor names (token_embd, blk.N.attn_qkv, ...), from
// parameters named as in GPT-2 checkpoints (wte, h.N.attn.c_attn.weight, ...), whose
// linear weights are Conv1D-shaped [in, out]. ggml wants [out, in] (dims [in, out]), so
// those are transposed, as llama.cpp's convert_hf_to_gguf.py does for GPT-2.
import { GGML_TYPES, GGMLType, storedType } from "./ggml";
import { GGUFValue, kv } from "./gguf";
import { GGUFTensorInput } from "./gguf-write";
import { GGUFTokenizer } from "./gguf-vocab";

export interface NamedArray {
  shape: number[];
  data: Float32Array;
}

export interface GPT2Hyper {
  name: string;
  vocabSize: number;
  contextLength: number;
  nLayer: number;
  nHead: number;
  nEmbd: number;
  layerNormEpsilon?: number; // default 1e-5 (PyTorch's and GPT-2's)
}

/** GPT-2 parameter name -> GGUF tensor name (llama.cpp's gpt2 architecture). */
export function gpt2TensorName(name: string): string {
  const fixed: Record<string, string> = {
    wte: "token_embd.weight",
    wpe: "position_embd.weight",
    "ln_f.weight": "output_norm.weight",
    "ln_f.bias": "output_norm.bias",
    "lm_head.weight": "output.weight",
  };
  if (fixed[name]) return fixed[name];
  const m = /^h\.(\d+)\.(ln_1|attn\.c_attn|attn\.c_proj|ln_2|mlp\.c_fc|mlp\.c_proj)\.(weight|bias)$/.exec(name);
  if (!m)
    throw new Error(`gpt2TensorName: "${name}" is not a GPT-2 parameter name (wte, wpe, h.N.attn.c_attn.weight, ...)`);
  const part: Record<string, string> = {
    ln_1: "attn_norm",
    "attn.c_attn": "attn_qkv",
    "attn.c_proj": "attn_output",
    ln_2: "ffn_norm",
    "mlp.c_fc": "ffn_up",
    "mlp.c_proj": "ffn_down",
  };
  return `blk.${m[1]}.${part[m[2]]}.${m[3]}`;
}

/** Tensors in the order llama.cpp's converter writes them: embeddings, blocks, final norm, output. */
function order(name: string): number {
  const parts = ["ln_1", "attn.c_attn", "attn.c_proj", "ln_2", "mlp.c_fc", "mlp.c_proj"];
  const m = /^h\.(\d+)\.(.+)\.(weight|bias)$/.exec(name);
  if (m) return 10 + Number(m[1]) * 100 + parts.indexOf(m[2]) * 2 + (m[3] === "bias" ? 1 : 0);
  return { wte: 0, wpe: 1, "ln_f.weight": 1e9, "ln_f.bias": 1e9 + 1, "lm_head.weight": 1e9 + 2 }[name] ?? 1e9 + 3;
}

/** general.file_type (llama_ftype) for a file mostly of this type. */
const FILE_TYPE: Partial<Record<GGMLType, number>> = {
  f32: 0,
  f16: 1,
  q4_0: 2,
  q4_1: 3,
  q8_0: 7,
  q5_0: 8,
  q5_1: 9,
  q4_k: 14 /* Q4_K_S: all Q4_K */,
  q6_k: 18,
};

function transpose(a: NamedArray): NamedArray {
  const [r, c] = a.shape;
  const out = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = a.data[i * c + j];
  return { shape: [c, r], data: out };
}

export interface GPT2GGUF {
  metadata: Record<string, GGUFValue>;
  tensors: GGUFTensorInput[];
  /** Tensors kept in f32 although `type` asked otherwise, and why. */
  notes: string[];
}

/**
 * Metadata and tensors for writeGGUF. 2-D weights get `type`; 1-D ones (norms, biases) stay
 * f32 as llama.cpp keeps them. Missing biases (a bias-free model) are written as zeros,
 * since the gpt2 architecture has them.
 */
export function gpt2GGUF(
  params: Record<string, NamedArray>,
  hp: GPT2Hyper,
  type: GGMLType,
  tokenizer?: GGUFTokenizer,
): GPT2GGUF {
  const C = hp.nEmbd;
  if (!params.wte) throw new Error(`gpt2GGUF: params need wte (the token embedding)`);
  if (!params.wpe)
    throw new Error(
      `gpt2GGUF: params need wpe; the gpt2 architecture has learned absolute positions (for sinusoidal ones pass their table as wpe; RoPE has no place in it)`,
    );
  const all: Record<string, NamedArray> = { ...params };
  const zeros = (n: number): NamedArray => ({ shape: [n], data: new Float32Array(n) });
  const dims: Record<string, number> = {
    ln_1: C,
    "attn.c_attn": 3 * C,
    "attn.c_proj": C,
    ln_2: C,
    "mlp.c_fc": 4 * C,
    "mlp.c_proj": C,
  };
  for (let l = 0; l < hp.nLayer; l++) for (const [k, n] of Object.entries(dims)) all[`h.${l}.${k}.bias`] ??= zeros(n);
  all["ln_f.bias"] ??= zeros(C);

  const notes: string[] = [];
  const tensors: GGUFTensorInput[] = [];
  for (const name of Object.keys(all).sort((a, b) => order(a) - order(b))) {
    const a0 = all[name];
    const n = a0.shape.reduce((x, y) => x * y, 1);
    if (n !== a0.data.length) throw new Error(`gpt2GGUF: ${name} has ${a0.data.length} values for shape [${a0.shape}]`);
    const conv1d = /\.(c_attn|c_proj|c_fc)\.weight$/.test(name) || name === "lm_head.weight";
    const a = conv1d ? transpose(a0) : a0;
    let t: GGMLType = a.shape.length === 2 ? type : "f32";
    if (t !== "f32" && storedType(t, a.shape[1]) !== t) {
      const fb = storedType(t, a.shape[1]);
      notes.push(
        `${name}: rows of ${a.shape[1]} are not a multiple of ${GGML_TYPES[t].blockSize}, ${fb === "f32" ? "kept in f32" : `stored as ${fb} (llama.cpp's fallback for ${t})`}`,
      );
      t = fb;
    }
    tensors.push({ name: gpt2TensorName(name), shape: a.shape, type: t, data: a.data });
  }

  const md: Record<string, GGUFValue> = {
    "general.architecture": kv.str("gpt2"),
    "general.name": kv.str(hp.name),
    "general.file_type": kv.u32(FILE_TYPE[type] ?? 0),
    "gpt2.context_length": kv.u32(hp.contextLength),
    "gpt2.embedding_length": kv.u32(C),
    "gpt2.feed_forward_length": kv.u32(4 * C),
    "gpt2.block_count": kv.u32(hp.nLayer),
    "gpt2.attention.head_count": kv.u32(hp.nHead),
    "gpt2.attention.layer_norm_epsilon": kv.f32(hp.layerNormEpsilon ?? 1e-5),
  };
  if (tokenizer) {
    if (tokenizer.tokens.length !== hp.vocabSize)
      throw new Error(
        `gpt2GGUF: tokenizer has ${tokenizer.tokens.length} tokens, the model's vocabulary is ${hp.vocabSize}`,
      );
    md["tokenizer.ggml.model"] = kv.str(tokenizer.model);
    if (tokenizer.pre) md["tokenizer.ggml.pre"] = kv.str(tokenizer.pre);
    md["tokenizer.ggml.tokens"] = kv.arr("string", tokenizer.tokens);
    md["tokenizer.ggml.token_type"] = kv.arr("int32", tokenizer.tokenTypes ?? tokenizer.tokens.map(() => 1)); // 1 = normal
    // llama.cpp refuses a "gpt2" vocabulary without this key, even when it has no merges.
    md["tokenizer.ggml.merges"] = kv.arr("string", tokenizer.merges ?? []);
    if (tokenizer.bosTokenId !== undefined) md["tokenizer.ggml.bos_token_id"] = kv.u32(tokenizer.bosTokenId);
    if (tokenizer.eosTokenId !== undefined) md["tokenizer.ggml.eos_token_id"] = kv.u32(tokenizer.eosTokenId);
    if (tokenizer.addBos !== undefined) md["tokenizer.ggml.add_bos_token"] = kv.bool(tokenizer.addBos);
    if (tokenizer.kind) md["llmlab.vocab_kind"] = kv.str(tokenizer.kind);
  }
  return { metadata: md, tensors, notes };
}
