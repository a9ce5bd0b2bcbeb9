// 09's checkers: the reference answer passes, the usual slips fail and are named.
import { agreementByCriterion, DEFAULT_SIMULATION, RatingsFile, simulateRatings } from "../../eval";
import { fails, verdict } from "./testing";

describe("09.1 noisier raters", () => {
  const noisy = simulateRatings({ ...DEFAULT_SIMULATION, noiseSd: 1.0 });
  const stats = ["cohenKappa", "meanPairwiseCohenKappa", "fleissKappa", "krippendorffAlpha"] as const;
  const mean = (f: RatingsFile, k: (typeof stats)[number]) => {
    const rows = agreementByCriterion(f);
    return rows.reduce((s, a) => s + a[k], 0) / rows.length;
  };
  const base = simulateRatings(DEFAULT_SIMULATION);
  const ranked = [...stats].sort((a, b) => mean(base, b) - mean(noisy, b) - (mean(base, a) - mean(noisy, a)));
  it("passes the statistic that drops most, and names another one, an unknown name and the default noise", () => {
    expect(verdict("09.1", { noisy, dropsMost: ranked[0] }).ok).toBe(true);
    fails("09.1", { noisy, dropsMost: ranked[3] }, /another statistic drops more/);
    fails("09.1", { noisy, dropsMost: "" }, /must name one of/);
    fails("09.1", { noisy: base, dropsMost: ranked[0] }, /no statistic dropped/);
  });
});

describe("09.2 keep some raters", () => {
  it("passes a filtered copy and names mutation, leftover raters and lost fields", () => {
    expect(
      verdict("09.2", (f: RatingsFile, r: string[]) => ({ ...f, likert: f.likert.filter((x) => r.includes(x.rater)) }))
        .ok,
    ).toBe(true);
    fails(
      "09.2",
      (f: RatingsFile, r: string[]) => {
        f.likert = f.likert.filter((x) => r.includes(x.rater));
        return f;
      },
      /changed the file it was given/,
    );
    fails("09.2", (f: RatingsFile) => f, /still has ratings by/);
    fails(
      "09.2",
      (f: RatingsFile, r: string[]) => ({ likert: f.likert.filter((x) => r.includes(x.rater)), criteria: [] }),
      /lost the file's criteria/,
    );
  });
});
