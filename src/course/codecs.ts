// Course classes that travel by value out of the learner's kernel (carry.ts): a tensor as its
// shape, dtype and values; a GPT as its config and weights, rebuilt on the trusted side so the
// checker runs the learner's weights through the course's own forward pass.
import * as tf from "@tensorflow/tfjs-core";
import { GPT, gptConfig, paramShapes } from "../model";
import { registerCodec } from "./carry";

interface TensorData {
  shape: number[];
  dtype: tf.DataType;
  values: (number | string)[];
}

/** The course's largest model (notebook 05 at full size) has under 1M; a record may not ask for more. */
const MAX_WEIGHTS = 20_000_000;

const numberOut = (x: number): number | string => (Number.isFinite(x) ? x : String(x));
const numberIn = (x: number | string): number => (typeof x === "number" ? x : Number(x));

const tensorData = (t: tf.Tensor): TensorData => ({
  shape: t.shape.slice(),
  dtype: t.dtype,
  values: Array.from(t.dataSync() as ArrayLike<number>, numberOut),
});

function tensorFrom(d: unknown, what: string): tf.Tensor {
  const t = d as TensorData;
  if (!t || !Array.isArray(t.shape) || !Array.isArray(t.values) || !t.shape.every((n) => Number.isInteger(n) && n >= 0))
    throw new Error(`${what}: expected {shape, dtype, values}`);
  if (t.values.length !== t.shape.reduce((a, b) => a * b, 1))
    throw new Error(`${what}: ${t.values.length} values for shape [${t.shape}]`);
  const dtype = t.dtype === "int32" || t.dtype === "bool" ? t.dtype : "float32";
  return tf.tensor(t.values.map(numberIn), t.shape, dtype);
}

registerCodec({
  name: "GPT",
  test: (v) => v instanceof GPT,
  encode: (v) => {
    const m = v as GPT;
    return {
      config: m.config,
      weights: Object.fromEntries(Object.entries(m.params).map(([k, p]) => [k, tensorData(p)])),
    };
  },
  decode: (data) => {
    const d = data as { config: GPT["config"]; weights: Record<string, unknown> };
    if (!d || typeof d.config !== "object" || typeof d.weights !== "object")
      throw new Error("GPT: expected {config, weights}");
    // The record is untrusted: check its size from the config before building anything that big.
    const shapes = paramShapes(gptConfig(d.config));
    const size = shapes.reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);
    if (!(size <= MAX_WEIGHTS))
      throw new Error(`GPT: the config asks for ${size} weights, more than a course model has (${MAX_WEIGHTS})`);
    const m = new GPT(d.config);
    for (const [k, p] of Object.entries(m.params)) {
      const t = tensorFrom(d.weights[k], `GPT weight ${k}`);
      if (t.shape.join("x") !== p.shape.join("x"))
        throw new Error(`GPT weight ${k}: shape [${t.shape}], the config gives [${p.shape}]`);
      p.assign(t);
      t.dispose();
    }
    return m;
  },
});

registerCodec({
  name: "Tensor",
  test: (v) => v instanceof tf.Tensor,
  encode: (v) => tensorData(v as tf.Tensor),
  decode: (data) => tensorFrom(data, "tensor"),
});
