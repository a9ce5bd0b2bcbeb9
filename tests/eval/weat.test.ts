import { association, cosine, weat, weatWords } from "../../src/eval/bias/weat";
import { aleaRng } from "../../src/model/rng";

describe("WEAT on hand-built vectors", () => {
  const A = [[1, 0]];
  const B = [[0, 1]];

  test("perfectly separated targets", () => {
    // s = 1, 1 for X and -1, -1 for Y; sample sd of [1,1,-1,-1] = sqrt(4/3) -> d = 2/sqrt(4/3) = sqrt(3)
    // statistic = 2 - (-2) = 4; of the C(4,2) = 6 partitions only the observed one reaches 4 -> p = 1/6
    const r = weat(
      [
        [1, 0],
        [2, 0],
      ],
      [
        [0, 1],
        [0, 3],
      ],
      A,
      B,
    );
    expect(r.statistic).toBeCloseTo(4, 12);
    expect(r.effectSize).toBeCloseTo(Math.sqrt(3), 12);
    expect(r.pValue).toBeCloseTo(1 / 6, 12);
    expect(r.exact).toBe(true);
  });

  test("a mixed case worked by hand", () => {
    // s((1,1)) = 1/sqrt2 - 1/sqrt2 = 0; s((2,0)) = 1; s((0,1)) = -1; s((1,3)) = (1 - 3)/sqrt10
    const s3 = -2 / Math.sqrt(10);
    expect(association([1, 3], A, B)).toBeCloseTo(s3, 12);
    const all = [0, 1, -1, s3];
    const mean = all.reduce((a, b) => a + b) / 4;
    const sd = Math.sqrt(all.reduce((a, v) => a + (v - mean) ** 2, 0) / 3);
    const r = weat(
      [
        [1, 1],
        [2, 0],
      ],
      [
        [0, 1],
        [1, 3],
      ],
      A,
      B,
    );
    expect(r.effectSize).toBeCloseTo((0.5 - (-1 + s3) / 2) / sd, 12);
    expect(r.statistic).toBeCloseTo(1 - (-1 + s3), 12);
    // partitions {Xi} and their sums: {0,1}=1 (observed), {0,-1}, {0,s3}, {1,-1}=0, {1,s3}=0.37, {-1,s3}: only the observed reaches it
    expect(r.pValue).toBeCloseTo(1 / 6, 12);
  });

  test("reversed targets flip the sign; symmetric data gives p about 1/2 or more", () => {
    const r = weat(
      [
        [0, 1],
        [0, 3],
      ],
      [
        [1, 0],
        [2, 0],
      ],
      A,
      B,
    );
    expect(r.effectSize).toBeCloseTo(-Math.sqrt(3), 12);
    expect(r.pValue).toBe(1);
  });

  test("Monte-Carlo p-value agrees with exact enumeration", () => {
    const rng = aleaRng(4);
    const vec = (bias: number) => [bias + rng.normal() * 0.8, 1 + rng.normal() * 0.8, rng.normal()];
    const X = Array.from({ length: 7 }, () => vec(0.6));
    const Y = Array.from({ length: 7 }, () => vec(0));
    const At = [
      [1, 0, 0],
      [0.9, 0.1, 0],
    ];
    const Bt = [
      [0, 1, 0],
      [0.1, 0.9, 0.1],
    ];
    const exact = weat(X, Y, At, Bt);
    const mc = weat(X, Y, At, Bt, { exactLimit: 0, permutations: 20000, seed: 1 });
    expect(exact.partitions).toBe(3432);
    expect(mc.exact).toBe(false);
    expect(Math.abs(mc.pValue - exact.pValue)).toBeLessThan(0.01);
    expect(mc.effectSize).toBe(exact.effectSize);
  });

  test("words: missing ones are reported", () => {
    const emb: Record<string, number[]> = { he: [1, 0.1], she: [0.1, 1], doctor: [1, 0.2], nurse: [0.2, 1] };
    const r = weatWords({ X: ["doctor"], Y: ["nurse", "pilot"], A: ["he"], B: ["she"] }, (w) => emb[w]);
    expect(r.missing).toEqual(["pilot"]);
    expect(cosine([1, 0], [2, 0])).toBe(1);
    expect(() => weat([], [[1]], [[1]], [[1]])).toThrow(/set X is empty/);
  });
});
