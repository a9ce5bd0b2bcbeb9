import { crowsPairsScore, loadBiasPairs } from "../../src/eval/bias/crowsPairs";
import { genderedNames, namesOccupationsProbe, OCCUPATIONS } from "../../src/eval/bias/namesOccupations";
import { counterfactual } from "../../src/eval/bias/cda";

describe("CrowS-Pairs-style probe", () => {
  const pairs = loadBiasPairs();

  test("the shipped pairs: ~30, gender and race, distinct sentences", () => {
    expect(pairs.length).toBeGreaterThanOrEqual(30);
    expect(new Set(pairs.map((p) => p.bias_type))).toEqual(new Set(["gender", "race"]));
    expect(new Set(pairs.map((p) => p.id)).size).toBe(pairs.length);
    for (const p of pairs) expect(p.stereotype).not.toBe(p.anti_stereotype);
  });

  test("every gender pair is exactly the CDA counterfactual of itself", () => {
    // so a CDA fine-tune trains on both sides of every gender pair's contrast
    for (const p of pairs.filter((q) => q.bias_type === "gender"))
      expect(counterfactual(p.stereotype)).toBe(p.anti_stereotype);
  });

  test("score is the share of pairs preferring the stereotype", async () => {
    // A unigram "model" that likes male words: it prefers the stereotype exactly in the gender
    // pairs whose stereotyped side has more male words than female ones.
    const male = new Set(["he", "his", "him", "men", "man", "sons", "father", "boys", "husband"]);
    const female = new Set([
      "she",
      "her",
      "women",
      "woman",
      "daughters",
      "mother",
      "girls",
      "wife",
      "wives",
      "husbands",
    ]);
    const lean = (t: string) =>
      t
        .toLowerCase()
        .split(/\W+/)
        .reduce((s, w) => s + (male.has(w) ? 1 : 0) - (female.has(w) ? 1 : 0), 0);
    const scorer = { logProb: (t: string) => -20 + lean(t) };
    const r = await crowsPairsScore(pairs, scorer, { seed: 0 });
    const expected = pairs.filter((p) => lean(p.stereotype) > lean(p.anti_stereotype)).length;
    expect(expected).toBeGreaterThan(5);
    expect(r.score.estimate).toBeCloseTo(expected / pairs.length, 12);
    expect(r.byType.race.score).toBe(0); // ties (no gendered words differ) never count as preferring
    expect(r.ties).toBe(pairs.filter((p) => lean(p.stereotype) === lean(p.anti_stereotype)).length);
    expect(r.score.low).toBeLessThanOrEqual(r.score.estimate);
    const stereo = new Set(pairs.map((p) => p.stereotype));
    expect((await crowsPairsScore(pairs, { logProb: (t) => (stereo.has(t) ? -1 : -2) })).score.estimate).toBe(1);
  });

  test("bad lines are named", () => {
    const fs = require("fs") as typeof import("fs");
    const tmp = require("path").join(require("os").tmpdir(), `pairs-${process.pid}.jsonl`);
    fs.writeFileSync(
      tmp,
      '{"id":"a","bias_type":"gender","stereotype":"x","anti_stereotype":"y"}\n{"id":"b","bias_type":"race","stereotype":""}\n',
    );
    expect(() => loadBiasPairs(tmp)).toThrow(/:2: field "stereotype" must be a non-empty string/);
    fs.unlinkSync(tmp);
  });
});

describe("names x occupations probe", () => {
  test("stdlib name lists, ambiguous names removed", () => {
    const { female, male } = genderedNames();
    expect(female.length).toBeGreaterThan(4000);
    expect(male.length).toBeGreaterThan(2500);
    const f = new Set(female);
    expect(male.some((n) => f.has(n))).toBe(false);
  });

  test("a planted association is recovered; no association gives 0", async () => {
    const names = { female: ["Mary", "Linda"], male: ["John", "Paul", "Greg"] };
    const stereo = new Map(OCCUPATIONS.map((o) => [o.occupation, o.stereotype]));
    const planted = {
      logProb: (t: string) => {
        const [name, , , , occupation] = t.replace(".", "").split(" ");
        const g = names.male.includes(name) ? "male" : "female";
        return -30 - name.length + (stereo.get(occupation) === g ? 0.5 : -0.5);
      },
    };
    const r = await namesOccupationsProbe(planted, { names });
    // gap = (-30 - mean male length + s) - (-30 - mean female length - s) per occupation;
    // the length terms cancel between male- and female-stereotyped occupations: bias = 2 * 0.5 - 2 * (-0.5) = 2
    expect(r.bias).toBeCloseTo(2, 12);
    expect(r.agreement).toBe(1);
    const none = await namesOccupationsProbe({ logProb: (t: string) => -t.length }, { names });
    expect(none.bias).toBeCloseTo(0, 12);
    const sampled = await namesOccupationsProbe({ logProb: () => -1 }, { perGender: 5, seed: 3 });
    expect(sampled.names.female).toHaveLength(5);
    expect(sampled.names).toEqual(
      (await namesOccupationsProbe({ logProb: () => -1 }, { perGender: 5, seed: 3 })).names,
    );
  });

  test("sentences read naturally", async () => {
    const seen: string[] = [];
    await namesOccupationsProbe(
      { logProb: (t) => (seen.push(t), -1) },
      { names: { female: ["Ann"], male: ["Bob"] }, occupations: [{ occupation: "engineer", stereotype: "male" }] },
    );
    expect(seen).toEqual(["Bob worked as an engineer.", "Ann worked as an engineer."]);
  });
});
