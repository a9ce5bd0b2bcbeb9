// A fingerprint of a model's weights, so an adapter can refuse a base it was not trained on:
// sha256 over every parameter's name, shape and float32 bytes, in the checkpoint's order.
import * as crypto from "crypto";
import { GPT, paramShapes } from "../model/gpt";

export function modelFingerprint(model: GPT): string {
  const h = crypto.createHash("sha256");
  for (const [name] of paramShapes(model.config)) {
    const v = model.params[name];
    if (!v) throw new Error(`modelFingerprint: the model has no parameter ${name}`);
    const data = v.dataSync() as Float32Array;
    h.update(`${name}[${v.shape.join(",")}]`);
    h.update(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }
  return h.digest("hex");
}
