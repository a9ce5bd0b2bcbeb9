// A class's ratings: JSONL round trip, merging learners' files (one rater each, honest
// provenance), and the notebook output that keeps a learner's ratings.
import {
  DEFAULT_SIMULATION,
  RATINGS_MIME,
  mergeRatings,
  parseRatingsJsonl,
  ratingsOutput,
  ratingsToJsonl,
  simulateRatings,
  validateRatings,
} from ".";
import type { RatingsFile } from ".";

const human = (rater: string, score: number): RatingsFile =>
  validateRatings({
    format: "llmlab-ratings/1",
    provenance: { kind: "human", description: "test", collectedBy: "me", date: "2026-12-03" },
    likert: [{ rater, item: "i1", system: "A", criterion: "fluency", score }],
    preferences: [{ rater, item: "i1", a: "A", b: "B", winner: "a" }],
  });

describe("JSONL ratings", () => {
  it("round-trips a file, NaN-free, one rating per line", () => {
    const file = simulateRatings(DEFAULT_SIMULATION);
    const text = ratingsToJsonl(file);
    expect(text.trim().split("\n")).toHaveLength(1 + file.likert.length + file.preferences.length);
    expect(parseRatingsJsonl(text)).toEqual(file);
  });
  it("names the bad line", () => {
    expect(() => parseRatingsJsonl('{"format":"llmlab-ratings/1"}\n{"likert":\n', "x.jsonl")).toThrow(
      /x\.jsonl.*line 2: not valid JSON/s,
    );
    expect(() => parseRatingsJsonl(ratingsToJsonl(human("me", 3)) + '{"other": 1}\n', "x.jsonl")).toThrow(
      /line 4: expected \{"likert"/,
    );
  });
});

describe("mergeRatings", () => {
  it("names each rater by their folder, and stays human only when every part is", () => {
    const merged = mergeRatings([
      { rater: "ada", file: human("me", 4) },
      { rater: "bo", file: human("me", 2) },
    ]);
    expect(merged.likert.map((r) => [r.rater, r.score])).toEqual([
      ["ada", 4],
      ["bo", 2],
    ]);
    expect(merged.preferences.map((r) => r.rater)).toEqual(["ada", "bo"]);
    expect(merged.provenance).toMatchObject({ kind: "human", collectedBy: "llmlab ratings collect" });
    const mixed = mergeRatings([
      { rater: "ada", file: human("me", 4) },
      { rater: "sim", file: simulateRatings(DEFAULT_SIMULATION) },
    ]);
    expect(mixed.provenance.kind).toBe("simulated");
    expect(mixed.provenance.description).toMatch(/Simulated parts: sim/);
    expect(new Set(mixed.likert.filter((r) => r.rater.startsWith("sim/")).map((r) => r.rater)).size).toBe(5); // r1..r5 kept apart
  });
  it("refuses different scales", () => {
    const other = { ...human("me", 4), scale: { min: 1, max: 7 } };
    expect(() =>
      mergeRatings([
        { rater: "ada", file: human("me", 4) },
        { rater: "bo", file: other },
      ]),
    ).toThrow(/bo rated on 1-7, ada on 1-5/);
  });
});

it("shows a learner's ratings as an output that carries the file", () => {
  const bundle = ratingsOutput(human("me", 4))[Symbol.for("Jupyter.display")]();
  expect(validateRatings(bundle.data[RATINGS_MIME])).toEqual(human("me", 4));
  expect(bundle.data["text/plain"]).toMatch(/^human ratings by me: 1 Likert scores, 1 A\/B preferences/);
});
