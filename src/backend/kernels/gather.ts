// GatherV2 for the wasm backend along axis 0 (an embedding lookup: whole rows by index) as one
// row copy each. The stock kernel (tfjs-backend-wasm 4.22.0) computes every element's source
// index on its own: 10 ms for the baby GPT's 768 x 128 token embeddings, more than the rest
// of its forward pass outside the transformer blocks. Other axes and batch dims stay stock.
import { util, type KernelConfig } from "@tensorflow/tfjs-core";
import { asWasm } from "../wasm_heap";
import { overStock } from "./stock";

export function gatherConfig(stock: KernelConfig): KernelConfig {
  return overStock(stock, (args) => {
    const { x, indices } = args.inputs;
    const axis = util.parseAxisParam(Number(args.attrs?.axis ?? 0), x.shape)[0];
    const batchDims = Number(args.attrs?.batchDims ?? 0);
    if (axis !== 0 || batchDims !== 0 || indices.dtype !== "int32" || !(x.dtype === "float32" || x.dtype === "int32"))
      return null;
    const b = asWasm(args.backend);
    const rows = x.shape[0];
    const width = util.sizeFromShape(x.shape.slice(1));
    const out = b.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    // Views taken after makeOutput, which may grow (and so replace) the heap.
    const src = b.typedArrayFromHeap(x) as Float32Array | Int32Array;
    const idx = b.typedArrayFromHeap(indices) as Int32Array;
    const dst = b.typedArrayFromHeap(out) as Float32Array | Int32Array;
    for (let i = 0; i < idx.length; i++) {
      const r = idx[i];
      if (!(r >= 0 && r < rows)) {
        b.disposeData(out.dataId);
        throw new Error(`GatherV2: index ${r} at position ${i} is not in [0, ${rows - 1}]`);
      }
      dst.set(src.subarray(r * width, (r + 1) * width), i * width);
    }
    return out;
  });
}
