// Exercises of notebooks/04-transformer.ipynb.
import { GPT, shuffleTest } from "../../model";
import { registerExercise } from "../check";
import { asFunction, asRecord, close, fail, isVerdict, pass, show } from "../judge";

const dot = (a: number[], b: number[]): number => a.reduce((s, x, i) => s + x * b[i], 0);
const softmax = (s: number[]): number[] => {
  const m = Math.max(...s);
  const e = s.map((x) => Math.exp(x - m));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / z);
};
const mix = (w: number[], values: number[][]): number[] =>
  values[0].map((_, d) => values.reduce((s, v, j) => s + w[j] * v[d], 0));
/** softmax(q·kᵀ/√D)·V, the reference; the variants are the usual slips, to name them. */
const attend = (q: number[], keys: number[][], values: number[][], scale = 1 / Math.sqrt(q.length)): number[] =>
  mix(softmax(keys.map((k) => dot(q, k) * scale)), values);

// One query against three keys (D = 4), then one key only (the first token: output = its value).
const ATTEND_CASES: { q: number[]; keys: number[][]; values: number[][] }[] = [
  {
    q: [1, 0.5, -1, 2],
    keys: [
      [0.5, 1, 0, 1],
      [-1, 0.2, 0.3, 0.5],
      [2, -0.5, 1, 1.5],
    ],
    values: [
      [1, 2, 3, 4],
      [-1, 0, 1, 0],
      [0.5, 0.5, -2, 1],
    ],
  },
  { q: [0.3, -0.2, 0.9, 0.1], keys: [[1, 1, 1, 1]], values: [[4, -3, 2, 1]] },
];

registerExercise({
  id: "04.1",
  title: "attention for one query by hand",
  hint: "scores[j] = q·keys[j] / √D with D = q.length; weights = softmax(scores) (exp, then divide by the sum); output[d] = Σ_j weights[j]·values[j][d].",
  check(answer) {
    const fn = asFunction(answer, "attendOne(q, keys, values)");
    if (isVerdict(fn)) return fn;
    for (const { q, keys, values } of ATTEND_CASES) {
      const want = attend(q, keys, values);
      const got = fn(q as never, keys as never, values as never);
      const call = `attendOne(q = ${show(q)}, ${keys.length} key${keys.length > 1 ? "s" : ""}, ${values.length} value${values.length > 1 ? "s" : ""})`;
      if (!Array.isArray(got) || got.length !== want.length || !got.every((x) => typeof x === "number"))
        return fail(
          `${call} returned ${show(got)}, expected an array of ${want.length} numbers (one per dimension of a value).`,
        );
      if (got.every((x, d) => close(x, want[d], 1e-6))) continue;
      const near = (v: number[]) => got.every((x, d) => close(x, v[d], 1e-6));
      if (near(attend(q, keys, values, 1)))
        return fail(`${call} gave ${show(got)}: that is softmax(q·k) without the 1/√D scale (D = ${q.length}).`);
      if (
        near(
          mix(
            keys.map((k) => dot(q, k) / Math.sqrt(q.length)),
            values,
          ),
        )
      )
        return fail(
          `${call} gave ${show(got)}: the scores weight the values directly; softmax them first so the weights are positive and sum to 1.`,
        );
      if (
        near(
          mix(
            keys.map(() => 1 / keys.length),
            values,
          ),
        )
      )
        return fail(
          `${call} gave ${show(got)}: that is the plain mean of the values; weight each value by softmax of its score.`,
        );
      return fail(`${call} gave ${show(got)}, expected ${show(want.map((x) => +x.toFixed(4)))}.`);
    }
    return pass(
      "softmax(q·kᵀ/√D)·V: the output is a weighted average of the values, and a query with one key returns that key's value.",
    );
  },
});

const isGPT = (m: unknown): m is GPT => m instanceof GPT;
// A logit change below this is float32 rounding, not order: a blind model changes by ~1e-8.
const BLIND = 1e-4;

registerExercise({
  id: "04.2",
  title: "positions matter: the shuffle test",
  hint: 'build two GPTs with nLayer: 1, one with positional: "none" and one with "sinusoidal"; give their matrices larger weights (`v.assign(tf.randomNormal(v.shape, 0, 0.5))` for every param of rank 2), then pass { none, sinusoidal, probe }.',
  check(answer) {
    const a = asRecord(answer, "{ none, sinusoidal, probe }: your two models and the tokens to shuffle");
    if (isVerdict(a)) return a;
    const { none, sinusoidal, probe } = a;
    if (!Array.isArray(probe) || probe.length < 3 || !probe.every((t) => Number.isInteger(t)))
      return fail(`probe must be at least 3 token ids, got ${show(probe)}.`);
    if (!isGPT(none) || !isGPT(sinusoidal))
      return fail(
        `none and sinusoidal must be llm.model.GPT models, got ${none === undefined ? "undefined" : typeof none} and ${sinusoidal === undefined ? "undefined" : typeof sinusoidal}.`,
      );
    for (const [name, m] of [
      ["none", none],
      ["sinusoidal", sinusoidal],
    ] as const) {
      if (m.config.positional !== name)
        return fail(
          `the model under \`${name}\` has positional: ${show(m.config.positional)}; build it with positional: "${name}".`,
        );
      if (m.config.nLayer !== 1)
        return fail(
          `the \`${name}\` model has ${m.config.nLayer} layers: use one. With two, even "none" sees order: the causal mask makes the first layer's output at position i an average over i+1 tokens, which the second layer can read.`,
        );
      if (probe.length > m.config.blockSize)
        return fail(`probe has ${probe.length} tokens but the \`${name}\` model's blockSize is ${m.config.blockSize}.`);
    }
    const blind = shuffleTest(none, probe as number[]);
    const sighted = shuffleTest(sinusoidal, probe as number[]);
    if (blind > BLIND)
      return fail(
        `shuffling changed the "none" model's last logits by ${blind.toExponential(2)}: a one-layer model without positions should not notice (< ${BLIND}).`,
      );
    if (sighted <= BLIND)
      return fail(
        `shuffling changed the sinusoidal model's last logits by only ${sighted.toExponential(2)}: at the initial scale (std 0.02) the change drowns in rounding; give the matrices larger weights, as after training.`,
      );
    return pass(
      `shuffling the context moves the last logits by ${blind.toExponential(1)} without positions (rounding: attention is a weighted *set* average) and by ${sighted.toExponential(1)} with sinusoids, which make each token's key and value depend on where it is.`,
    );
  },
});
