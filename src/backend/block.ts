// A whole pre-LN transformer block (GPT-2's, without biases, dropout or a KV cache) as one
// native kernel forward and one backward, where the native addon is loaded (the fast wasm
// backend); src/model/gpt.ts uses it for such blocks and its tfjs ops for every other case
// and backend. LLMLAB_FUSED=0 turns it off (to compare, or to rule it out).
//
// The gradient is a tf.customGrad: the forward kernel's extra outputs (layer-norm statistics,
// q/k/v, attention probabilities, the MLP's activations) are saved for the backward kernel,
// and only the block's output enters the tape, so there are no zero gradients to make for them.
import * as tf from "@tensorflow/tfjs-core";
import { BLOCK, BLOCK_GRAD, SAVED, WEIGHTS, type BlockAttrs } from "./kernels/block";

export { BLOCK, BLOCK_GRAD };

/** The block's weights as the kernels take them (bias-free GPT-2 layout, [in, out] matrices). */
export interface BlockWeights {
  ln1: tf.Tensor1D; // ln_1.weight [C]
  wqkv: tf.Tensor2D; // attn.c_attn.weight [C, 3C]
  wproj: tf.Tensor2D; // attn.c_proj.weight [C, C]
  ln2: tf.Tensor1D; // ln_2.weight [C]
  wfc: tf.Tensor2D; // mlp.c_fc.weight [C, 4C]
  wfp: tf.Tensor2D; // mlp.c_proj.weight [4C, C]
}

/** Whether fusedBlock runs here: the kernel is registered on the active backend and not turned off. */
export function fusedBlockAvailable(): boolean {
  return process.env.LLMLAB_FUSED !== "0" && tf.getKernel(BLOCK, tf.getBackend()) !== undefined;
}

/**
 * x [B*T, C] -> x + attn(ln_1(x)) -> + mlp(ln_2(.)): the block of src/model/gpt.ts (causal
 * attention over nHead heads, exact GELU, LayerNorm eps 1e-5), differentiable in x and every weight.
 */
export function fusedBlock(
  x: tf.Tensor2D,
  w: BlockWeights,
  dims: { B: number; T: number; nHead: number },
  eps = 1e-5,
): tf.Tensor2D {
  const attrs: BlockAttrs = { B: dims.B, T: dims.T, nHead: dims.nHead, eps };
  const named = (ts: tf.Tensor[], names: readonly string[]): tf.NamedTensorMap =>
    Object.fromEntries(names.map((n, i) => [n, ts[i]]));
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const inputs = args as tf.Tensor[];
    const [y, ...saved] = tf
      .engine()
      .runKernel(BLOCK, named(inputs, ["x", ...WEIGHTS]), attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    save([...inputs, ...saved]);
    return {
      value: y as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor2D, kept: tf.Tensor[]) =>
        tf
          .engine()
          .runKernel(
            BLOCK_GRAD,
            { dy, ...named(kept, ["x", ...WEIGHTS, ...SAVED]) },
            attrs as unknown as tf.NamedAttrMap,
          ) as tf.Tensor[],
    };
  });
  return op(x, w.ln1, w.wqkv, w.wproj, w.ln2, w.wfc, w.wfp) as tf.Tensor2D;
}
