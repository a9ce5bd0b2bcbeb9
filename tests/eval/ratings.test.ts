import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  loadRatings,
  parseRatingsCsv,
  parseRatingsJson,
  RatingsFormatError,
  writeRatings,
} from "../../src/eval/ratings";
import { DEFAULT_SIMULATION, simulateRatings } from "../../src/eval/simulate";
import { agreementByCriterion, humanEvalReport } from "../../src/eval/humanEval";

const shipped = path.join(__dirname, "../../datasets/ratings/simulated-ratings.json");

describe("ratings file", () => {
  test("the shipped file is exactly what the stated simulator and seed produce", () => {
    const file = loadRatings(shipped);
    expect(file.provenance.kind).toBe("simulated");
    expect(file).toEqual(simulateRatings(DEFAULT_SIMULATION));
    expect(file.likert).toHaveLength(5 * 20 * 2 * 3);
    expect(file.preferences).toHaveLength(5 * 20);
  });

  test("a file without provenance, or with bad rows, is rejected with every problem named", () => {
    const bad = {
      format: "llmlab-ratings/1",
      likert: [
        { rater: "r1", item: "i1", system: "A", criterion: "coherence", score: 6 },
        { rater: "r1", item: "i1", system: "A", criterion: "style", score: 3 },
      ],
      preferences: [{ rater: "r1", item: "i1", a: "A", b: "A", winner: "left" }],
    };
    let err: RatingsFormatError | undefined;
    try {
      parseRatingsJson(JSON.stringify(bad), "bad.json");
    } catch (e) {
      err = e as RatingsFormatError;
    }
    expect(err).toBeInstanceOf(RatingsFormatError);
    expect(err!.message).toMatch(/^bad\.json: invalid ratings file/);
    expect(err!.problems).toEqual([
      expect.stringMatching(/^provenance: missing/),
      expect.stringMatching(/^likert\[0\]\.score: expected an integer in \[1, 5\], got 6/),
      expect.stringMatching(/^likert\[1\]\.criterion: "style" is not one of/),
      expect.stringMatching(/^preferences\[0\]: a and b are the same system "A"/),
      expect.stringMatching(/^preferences\[0\]\.winner: expected "a", "b" or "tie", got "left"/),
    ]);
    const sim = {
      format: "llmlab-ratings/1",
      provenance: { kind: "simulated", description: "x", generator: "g", seed: 1 },
    };
    expect(() => parseRatingsJson(JSON.stringify(sim))).toThrow(/provenance\.model: missing/);
    expect(() => parseRatingsJson("{oops")).toThrow(/not valid JSON/);
  });

  test("CSV with metadata comments; errors point at CSV lines", () => {
    const head =
      "# format: llmlab-ratings/1\n# provenance.kind: human\n# provenance.description: pilot\n# provenance.collectedBy: course staff\n# provenance.date: 2026-11-26\n";
    const csv = head + "rater,item,system,criterion,score\nr1,i1,A,fluency,4\nr2,i1,A,fluency,5\n";
    const f = parseRatingsCsv(csv, "pilot.csv");
    expect(f.provenance).toMatchObject({ kind: "human", collectedBy: "course staff" });
    expect(f.likert[1]).toEqual({ rater: "r2", item: "i1", system: "A", criterion: "fluency", score: 5 });
    expect(() =>
      parseRatingsCsv(head + "rater,item,system,criterion,score\nr1,i1,A,fluency,4\nr2,i1,A,fluency,x\n", "p.csv"),
    ).toThrow(/p\.csv[\s\S]*line 8, column score: expected an integer/);
    const prefs = parseRatingsCsv(head + "rater,item,a,b,winner\nr1,i1,A,B,tie\n");
    expect(prefs.preferences).toEqual([{ rater: "r1", item: "i1", a: "A", b: "B", winner: "tie" }]);
    expect(() => parseRatingsCsv(head + "who,what\n1,2\n")).toThrow(/header .* is neither/);
  });

  test("write is atomic and round-trips", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ratings-"));
    const f = simulateRatings({ ...DEFAULT_SIMULATION, raters: 2, items: 3 });
    writeRatings(path.join(dir, "r.json"), f);
    expect(fs.readdirSync(dir)).toEqual(["r.json"]);
    expect(loadRatings(path.join(dir, "r.json"))).toEqual(f);
  });
});

describe("simulated raters and the human-eval report", () => {
  test("noise-free raters agree perfectly", () => {
    const f = simulateRatings({ ...DEFAULT_SIMULATION, raterBiasSd: 0, noiseSd: 0, items: 10, raters: 3 });
    for (const a of agreementByCriterion(f)) {
      expect(a.krippendorffAlpha).toBeCloseTo(1, 12);
      expect(a.cohenKappa).toBeCloseTo(1, 12);
      expect(a.fleissKappa).toBeCloseTo(1, 12);
    }
  });

  test("more rating noise, less agreement; the better system wins", () => {
    const base = { ...DEFAULT_SIMULATION, items: 40 };
    const quiet = agreementByCriterion(simulateRatings({ ...base, noiseSd: 0.3 }));
    const noisy = agreementByCriterion(simulateRatings({ ...base, noiseSd: 1.5 }));
    quiet.forEach((q, i) => expect(q.krippendorffAlpha).toBeGreaterThan(noisy[i].krippendorffAlpha));
    const r = humanEvalReport(simulateRatings({ ...base, systems: { A: { fluency: 2.5 }, B: { fluency: 4 } } }), {
      seed: 0,
      systems: ["B", "A"],
    });
    expect(r.winRate!.low).toBeGreaterThan(0.5);
    expect(r.bradleyTerry!.B).toBeGreaterThan(r.bradleyTerry!.A);
  });
});
