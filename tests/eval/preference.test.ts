import { bradleyTerry, Comparison, winRate } from "../../src/eval/preference";
import { likertSummary } from "../../src/eval/likert";

const games = (a: string, b: string, aWins: number, bWins: number, ties = 0): Comparison[] => [
  ...Array.from({ length: aWins }, () => ({ a, b, winner: "a" as const })),
  ...Array.from({ length: bWins }, () => ({ a, b, winner: "b" as const })),
  ...Array.from({ length: ties }, () => ({ a: b, b: a, winner: "tie" as const })),
];

describe("Bradley-Terry (Hunter 2004 MM)", () => {
  test("two systems: 3 wins to 1 gives strengths 3:1", () => {
    const r = bradleyTerry(games("A", "B", 3, 1));
    expect(r.strength.get("A")).toBeCloseTo(0.75, 9);
    expect(r.converged).toBe(true);
  });

  test("hand-computed three-system case", () => {
    // With p = (4, 2, 1)/7, each pair's expected wins n_ij p_i/(p_i + p_j) are whole numbers:
    // A-B 3 games -> 2:1, A-C 5 games -> 4:1, B-C 3 games -> 2:1. The likelihood equations
    // W_i = sum_j n_ij p_i/(p_i + p_j) then hold exactly, so the MLE is (4, 2, 1)/7.
    const r = bradleyTerry([...games("A", "B", 2, 1), ...games("A", "C", 4, 1), ...games("B", "C", 2, 1)]);
    expect(r.strength.get("A")).toBeCloseTo(4 / 7, 9);
    expect(r.strength.get("B")).toBeCloseTo(2 / 7, 9);
    expect(r.strength.get("C")).toBeCloseTo(1 / 7, 9);
  });

  test("ties count half; a system that never loses is an error", () => {
    expect(bradleyTerry(games("A", "B", 2, 0, 2)).strength.get("A")).toBeCloseTo(0.75, 9);
    expect(() => bradleyTerry(games("A", "B", 2, 0))).toThrow(/"A" never loses/);
  });
});

describe("win rate", () => {
  test("estimate, orientation, and interval", () => {
    const cs = [...games("A", "B", 30, 10), ...games("B", "A", 5, 15, 0), ...games("A", "B", 0, 0, 4)];
    // A: 30 + 15 wins + 4 * 0.5 = 47 of 64
    const r = winRate(cs, "A", "B", { seed: 1 });
    expect(r.n).toBe(64);
    expect(r.estimate).toBeCloseTo(47 / 64, 12);
    expect(r.low).toBeLessThan(r.estimate);
    expect(r.high).toBeGreaterThan(r.estimate);
    // normal-approximation half-width sqrt(p(1-p)/n) * 1.96 ~ 0.104; the bootstrap agrees loosely
    expect(r.high - r.low).toBeGreaterThan(0.15);
    expect(r.high - r.low).toBeLessThan(0.27);
    expect(winRate(cs, "B", "A", { seed: 1 }).estimate).toBeCloseTo(17 / 64, 12);
    expect(() => winRate(cs, "A", "C")).toThrow(/no comparisons between "A" and "C"/);
  });
});

describe("Likert aggregation", () => {
  test("counts, mean and median per system and criterion", () => {
    const rows = [1, 2, 2, 5].map((score, i) => ({
      rater: `r${i}`,
      item: `i${i % 2}`,
      system: "A",
      criterion: "fluency",
      score,
    }));
    const [s] = likertSummary(rows, { seed: 0, resamples: 100 });
    expect(s).toMatchObject({ system: "A", criterion: "fluency", n: 4, items: 2, median: 2, counts: [1, 2, 0, 0, 1] });
    expect(s.mean.estimate).toBe(2.5);
    expect(() => likertSummary([{ ...rows[0], score: 6 }])).toThrow(/score 6 .* not an integer in \[1, 5\]/);
  });
});
