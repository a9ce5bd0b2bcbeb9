// Exercises of notebooks/05-pretraining.ipynb.
import { Trainer } from "../../train";
import { registerExercise } from "../check";
import { asFunction, asRecord, close, fail, isVerdict, pass, show } from "../judge";

// (nats per token, bytes per token): one char = one byte, then text with multi-byte characters.
const BPB_CASES: [number, number][] = [
  [Math.LN2, 1],
  [1.5, 1],
  [2.2, 1.25],
  [3, 4],
];

registerExercise({
  id: "05.1",
  title: "bits per byte by hand",
  hint: "nats → bits: divide by ln 2 (`Math.LN2`); per token → per byte: divide by the bytes per token.",
  check(answer) {
    const fn = asFunction(answer, "bitsPerByte(natsPerToken, bytesPerToken)");
    if (isVerdict(fn)) return fn;
    for (const [nats, bpt] of BPB_CASES) {
      const want = nats / Math.LN2 / bpt;
      const got = fn(nats as never, bpt as never);
      const call = `bitsPerByte(${+nats.toFixed(4)}, ${bpt})`;
      if (typeof got !== "number" || Number.isNaN(got))
        return fail(`${call} returned ${show(got)}, expected a number.`);
      if (close(got, want)) continue;
      if (close(got, nats / bpt))
        return fail(`${call} gave ${got.toFixed(4)}: still in nats; one bit is ln 2 nats, so divide by \`Math.LN2\`.`);
      if (close(got, nats / Math.LN2))
        return fail(`${call} gave ${got.toFixed(4)}: bits per *token*; divide by the bytes per token.`);
      if (close(got, (nats / Math.LN2) * bpt))
        return fail(
          `${call} gave ${got.toFixed(4)}: a token carries ${bpt} bytes, so the bits are shared among them: divide, not multiply.`,
        );
      if (close(got, nats / Math.log(10) / bpt))
        return fail(`${call} gave ${got.toFixed(4)}: that is log base 10; bits are log base 2.`);
      return fail(`${call} gave ${got}, expected ${want.toFixed(4)}.`);
    }
    return pass("bits per byte = nats per token / ln 2 / bytes per token: a number that compares across tokenizers.");
  },
});

/** The largest absolute difference over all parameters of two trainers' models, and where. */
function paramDiff(a: Trainer, b: Trainer): { max: number; name: string } {
  let worst = { max: 0, name: "" };
  for (const [name, p] of Object.entries(a.model.params)) {
    const x = p.dataSync();
    const y = b.model.params[name].dataSync();
    for (let i = 0; i < x.length; i++) {
      const d = Math.abs(x[i] - y[i]);
      if (d > worst.max || Number.isNaN(d)) worst = { max: Number.isNaN(d) ? Infinity : d, name };
    }
  }
  return worst;
}

registerExercise({
  id: "05.2",
  title: "resume exactly",
  hint: "`llm.train.Trainer.resume(checkpointDir, data, { maxIters: iters + 20 })` twice, `await first.run()` and `await second.run()`, then pass { first, second }.",
  check(answer) {
    const a = asRecord(answer, "{ first, second }: the two resumed trainers");
    if (isVerdict(a)) return a;
    const { first, second } = a;
    if (!(first instanceof Trainer) || !(second instanceof Trainer))
      return fail(
        `first and second must be trainers from llm.train.Trainer.resume, got ${first === undefined ? "undefined" : typeof first} and ${second === undefined ? "undefined" : typeof second}.`,
      );
    if (first === second)
      return fail(
        "first and second are the same trainer: resume twice from the checkpoint, so there are two models to compare.",
      );
    if (first.history.length === 0 || second.history.length === 0)
      return fail(
        `a trainer has not trained since it was resumed (steps run: ${first.history.length} and ${second.history.length}): \`await\` its run() with maxIters above the checkpoint's step.`,
      );
    if (first.step !== second.step)
      return fail(
        `the trainers stopped at different steps (${first.step} and ${second.step}): give both the same maxIters.`,
      );
    const shapes = (t: Trainer) =>
      Object.entries(t.model.params)
        .map(([k, v]) => `${k}:${v.shape.join("x")}`)
        .join(",");
    if (shapes(first) !== shapes(second))
      return fail("the two trainers' models have different parameters: resume both from the same checkpoint.");
    const { max, name } = paramDiff(first, second);
    if (max > 0)
      return fail(
        `after ${first.history.length} more steps the parameters differ (by up to ${max.toExponential(2)}, in ${name}): did both start from the same checkpoint with the same data?`,
      );
    return pass(
      `after ${first.history.length} more steps both models are identical to the last bit: the checkpoint holds the weights, AdamW's moments *and* the batch sampler's random state, so the second run draws the same batches. A different batch size, data, or a nondeterministic kernel would break it.`,
    );
  },
});
