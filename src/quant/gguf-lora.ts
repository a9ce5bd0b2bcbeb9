// A LoRA adapter (src/finetune) as a GGUF LoRA file that llama.cpp applies over the base GGUF
// (llama-adapter.cpp; convert_lora_to_gguf.py writes the same layout):
//   metadata general.type = "adapter", adapter.type = "lora", adapter.lora.alpha;
//   per adapted weight "<base tensor>.lora_a" with ggml dims [in, r] and ".lora_b" with [r, out],
//   so that y = W x + scale · B (A x), scale = alpha / r (r read from lora_b), or 1 if alpha is 0.
// Our q, k and v adapters each update a column block of the fused c_attn, which llama.cpp holds
// as one attn_qkv tensor: they become one adapter of rank r·(blocks) whose B is zero outside
// each block's own rows. Its rank then differs from the other tensors', while the file has one
// alpha; so our scale alpha/r is folded into B and the file says alpha 0 (scale 1).
import { kv } from "./gguf";
import { gpt2TensorName } from "./gguf-gpt2";
import { GGUFTensorInput, writeGGUF } from "./gguf-write";

export interface LoRAAdapterLike {
  /** The base parameter it updates (Conv1D layout [in, out]) and which of its columns. */
  param: string;
  col: number;
  cols: number;
  /** A [in, r] and B [r, cols], row-major. */
  A: { shape: number[]; data: Float32Array };
  B: { shape: number[]; data: Float32Array };
}

export interface LoRAExportSummary {
  path: string;
  bytes: number;
  tensors: { name: string; shape: number[] }[];
}

/**
 * Writes the adapters as a GGUF LoRA for a gpt2-architecture base. `outDims` gives each base
 * parameter's output width (its shape[1]); `scale` is alpha / r.
 */
export function exportLoRAGGUF(
  adapters: LoRAAdapterLike[],
  outDims: Record<string, number>,
  scale: number,
  out: string,
  name = "llmlab-lora",
): LoRAExportSummary {
  if (adapters.length === 0) throw new Error("LoRA export: the adapter has no A/B pairs");
  if (!(Number.isFinite(scale) && scale > 0))
    throw new Error(`LoRA export: scale (alpha / r) must be a positive number, got ${scale}`);
  const byParam = new Map<string, LoRAAdapterLike[]>();
  for (const a of adapters) {
    if (a.param === "wte")
      throw new Error(
        "LoRA export: an adapter on wte (the tied embedding and LM head) has no GGUF LoRA form here; fine-tune with targets among q, k, v, attn.c_proj, mlp.c_fc, mlp.c_proj",
      );
    byParam.set(a.param, [...(byParam.get(a.param) ?? []), a]);
  }
  const tensors: GGUFTensorInput[] = [];
  for (const [param, list] of byParam) {
    const out = outDims[param];
    if (!out) throw new Error(`LoRA export: no output width for ${param}`);
    const inF = list[0].A.shape[0];
    const R = list.reduce((n, a) => n + a.A.shape[1], 0);
    // lora_a: row-major [R, in] = A_cat^T; lora_b: row-major [out, R] = (scale · B_block)^T.
    const a = new Float32Array(R * inF);
    const b = new Float32Array(out * R);
    let r0 = 0;
    for (const ad of list) {
      const [i, r] = ad.A.shape;
      if (i !== inF) throw new Error(`LoRA export: adapters of ${param} disagree on the input width (${i} vs ${inF})`);
      if (ad.B.shape[0] !== r || ad.B.shape[1] !== ad.cols)
        throw new Error(`LoRA export: ${param} B has shape [${ad.B.shape}], expected [${r}, ${ad.cols}]`);
      if (ad.col + ad.cols > out)
        throw new Error(`LoRA export: ${param} columns ${ad.col}..${ad.col + ad.cols} exceed its width ${out}`);
      for (let k = 0; k < r; k++) for (let x = 0; x < inF; x++) a[(r0 + k) * inF + x] = ad.A.data[x * r + k];
      for (let k = 0; k < r; k++)
        for (let c = 0; c < ad.cols; c++) b[(ad.col + c) * R + r0 + k] = scale * ad.B.data[k * ad.cols + c];
      r0 += r;
    }
    const base = gpt2TensorName(param);
    tensors.push({ name: `${base}.lora_a`, shape: [R, inF], type: "f32", data: a });
    tensors.push({ name: `${base}.lora_b`, shape: [out, R], type: "f32", data: b });
  }
  const metadata = {
    "general.architecture": kv.str("gpt2"),
    "general.type": kv.str("adapter"),
    "general.name": kv.str(name),
    "adapter.type": kv.str("lora"),
    "adapter.lora.alpha": kv.f32(0), // alpha / r is already in lora_b (see above)
  };
  const bytes = writeGGUF(out, metadata, tensors);
  return { path: out, bytes, tensors: tensors.map((t) => ({ name: t.name, shape: t.shape })) };
}
