// Record in one place, replay in another: the replayed verdict equals check()'s on the real
// answer (right, wrong, mutating, throwing, instances with methods), and a record made by a
// patched checker, or a forged one, fails.
import { check, exercise, judgeTranscript, recordAnswer } from ".";
import { trainBPE } from "../tokenize";
import type { simulateRatings } from "../eval";
import type { Transcript } from "./transcript";
import { mergePair } from "./exercises/testing";

/** As the grader does: record in "the kernel", carry as JSON text, judge from the text. */
function graded(id: string, answer: unknown) {
  check(id, answer);
  const wire: Transcript = JSON.parse(JSON.stringify(recordAnswer(id)));
  return judgeTranscript(wire);
}

describe("record and replay", () => {
  it("gives check()'s verdicts for functions: right, wrong, mutating, throwing", () => {
    const mutating = (ids: number[], p: [number, number], n: number) => {
      for (let i = 0; i < ids.length - 1; i++) if (ids[i] === p[0] && ids[i + 1] === p[1]) ids.splice(i, 2, n);
      return ids;
    };
    const throwing = () => {
      throw new RangeError("boom");
    };
    for (const answer of [mergePair, (ids: number[]) => ids.slice(), mutating, throwing, 42, undefined]) {
      const direct = check("03.1", answer).toJSON();
      expect(graded("03.1", answer)).toEqual(direct);
    }
    expect(graded("03.1", mergePair).ok).toBe(true);
    expect(graded("03.1", mutating).message).toMatch(/changed its input ids/);
    expect(graded("03.2", () => NaN).message).toMatch(/returned NaN/);
  });

  it("carries objects with methods (tokenizers) as handles, and plain data by value", () => {
    const text =
      "In 1999 there were 2000000 people and 1234567 sheep; 20000 cows cost 1000000 dollars in 2000. ".repeat(30);
    const gpt4 = trainBPE(text, { vocabSize: 300 });
    const gpt2 = trainBPE(text, { vocabSize: 300, pattern: "gpt2" });
    for (const digits of ["2000000", "7"])
      expect(graded("03.3", { digits, gpt2, gpt4 })).toEqual(check("03.3", { digits, gpt2, gpt4 }).toJSON());
    expect(graded("03.3", { digits: "2000000", gpt2, gpt4 }).ok).toBe(true);
    type file = ReturnType<typeof simulateRatings>;
    const keep = (f: file, raters: string[]) => ({
      ...f,
      likert: f.likert.filter((r) => raters.includes(r.rater)),
    });
    expect(graded("09.2", keep)).toEqual(check("09.2", keep).toJSON());
    expect(graded("09.2", keep).ok).toBe(true);
    const inPlace = (f: file, raters: string[]) => {
      f.likert = f.likert.filter((r) => raters.includes(r.rater));
      return f;
    };
    expect(graded("09.2", inPlace).message).toMatch(/changed the file it was given/);
  });

  it("fails a record made by a patched checker, and a forged record", () => {
    const ex = exercise("03.1");
    const real = ex.check;
    ex.check = () => ({ ok: true, message: "" }); // what a cheating cell does in the kernel
    try {
      check("03.1", (ids: number[]) => ids);
      const t = JSON.parse(JSON.stringify(recordAnswer("03.1")));
      ex.check = real; // the trusted process loads the checker fresh
      const v = judgeTranscript(t);
      expect(v.ok).toBe(false);
      expect(v.message).toMatch(/does not answer the checker's questions/);
    } finally {
      ex.check = real;
    }
    // A hand-written record that claims a function returned what the first case wants, and nothing more.
    const forged: Transcript = {
      id: "03.1",
      answer: ["h", 0, "function", ["Function"]],
      ops: [{ h: 0, op: "call", args: [], result: ["a", []] }],
    };
    expect(judgeTranscript(forged).ok).toBe(false);
    expect(judgeTranscript({ id: "03.1", ops: [] }).message).toMatch(/never called llm\.course\.check\("03\.1"/);
  });
});

it("refuses to rebuild a GPT bigger than any course model from a record", () => {
  const t = {
    id: "04.2",
    answer: [
      "o",
      [
        [
          "none",
          ["c", "GPT", { config: { vocabSize: 100000, nEmbd: 4096, nLayer: 8, nHead: 8, blockSize: 64 }, weights: {} }],
        ],
        ["sinusoidal", ["u"]],
        [
          "probe",
          [
            "a",
            [
              ["n", 1],
              ["n", 2],
              ["n", 3],
            ],
          ],
        ],
      ],
    ],
    ops: [],
  } as const;
  const v = judgeTranscript(JSON.parse(JSON.stringify(t)));
  expect(v.ok).toBe(false);
  expect(v.message).toMatch(/more than a course model has/);
});
