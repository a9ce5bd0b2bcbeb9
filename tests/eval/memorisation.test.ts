import { CanaryFormat, insertCanary } from "../../src/eval/canary";
import {
  exposureByEnumeration,
  exposureByExtrapolation,
  exposureFromRank,
  rankOf,
  textScorerFrom,
} from "../../src/eval/exposure";
import { fitSkewNormal, normalCdf, skewNormalCdf } from "../../src/eval/normal";
import { aleaRng, shuffled } from "../../src/model/rng";

function normalQuantile(p: number): number {
  let lo = -40,
    hi = 40;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * A constructed ranking: the candidates' log2-perplexities are the normal quantiles
 * (j + 0.5)/|R| in a seeded order, and the secret is put at position `rank` - 1,
 * so its rank (and exposure log2(|R|/rank)) is known exactly.
 */
function constructedScorer(format: CanaryFormat, secret: number, rank: number) {
  const n = format.spaceSize;
  const order = shuffled(
    [...Array(n).keys()].filter((r) => r !== secret),
    aleaRng(1),
  );
  order.splice(rank - 1, 0, secret);
  const px = new Map<string, number>();
  order.forEach((r, j) => px.set(format.render(r), 20 + 3 * normalQuantile((j + 0.5) / n)));
  return { logProb: (t: string) => -px.get(t)! * Math.LN2 };
}

describe("canaries", () => {
  const f = new CanaryFormat("my PIN is {}-{}-{}-{}");
  test("randomness space and rendering", () => {
    expect(f.spaceSize).toBe(10000);
    expect(f.render(7391)).toBe("my PIN is 7-3-9-1");
    expect(f.render(42)).toBe("my PIN is 0-0-4-2");
    expect(() => f.render(10000)).toThrow(/\[0, 10000\)/);
    expect(() => new CanaryFormat("no holes")).toThrow(/no \{\} holes/);
  });

  test("k copies inserted at seeded positions", () => {
    const corpus = ["a", "b", "c", "d"];
    const r = insertCanary(corpus, "my PIN is 7-3-9-1", 3, { seed: 2 });
    expect(r.corpus).toHaveLength(7);
    expect(r.positions.map((p) => r.corpus[p])).toEqual(Array(3).fill("my PIN is 7-3-9-1"));
    expect(r.corpus.filter((d) => d !== "my PIN is 7-3-9-1")).toEqual(corpus);
    expect(insertCanary(corpus, "x", 3, { seed: 2 })).toEqual({
      ...r,
      corpus: r.corpus.map((d) => (d.startsWith("my") ? "x" : d)),
    });
    const inline = insertCanary(corpus, "PIN", 2, { seed: 1, mode: "inline" });
    expect(inline.corpus.join("").split("PIN")).toHaveLength(3);
  });
});

describe("exposure", () => {
  test("definition: log2|R| - log2 rank", () => {
    expect(exposureFromRank(1, 1024)).toBe(10);
    expect(exposureFromRank(512, 1024)).toBe(1);
    expect(rankOf(2, [1, 2, 3, 4])).toBe(2); // the paper's |{r': Px(r') <= Px(secret)}| without ties
    // ties at the mid-rank: 1 lower + (2 equal + 1)/2
    expect(rankOf(2, [1, 2, 2, 3])).toBe(2.5);
    // a model that scores every candidate alike: rank (n + 1)/2, exposure ~1 bit, not 0
    expect(exposureFromRank(rankOf(5, Array(1000).fill(5)), 1000)).toBeCloseTo(Math.log2(1000 / 500.5), 12);
    expect(rankOf(1, [2, 3], false)).toBe(1); // secret not among the candidates
  });

  test.each([1, 8, 500])("enumeration recovers a constructed rank %i exactly", async (rank) => {
    const f = new CanaryFormat("my PIN is {}-{}-{}", "0123456789");
    const secret = 739;
    const r = await exposureByEnumeration(f, secret, constructedScorer(f, secret, rank));
    expect(r.rank).toBe(rank);
    expect(r.exposure).toBeCloseTo(Math.log2(1000 / rank), 12);
  });

  test("batched scoring gives the same rank; token scorers adapt", async () => {
    const f = new CanaryFormat("PIN {}{}{}", "0123456789");
    const base = constructedScorer(f, 123, 4);
    const batched = { ...base, logProbBatch: (ts: string[]) => ts.map(base.logProb) };
    const r = await exposureByEnumeration(f, 123, batched);
    expect(r.rank).toBe(4);
    const ts = textScorerFrom({ tokenLogProbs: (t: string) => [-1, -0.5, -t.length] });
    expect(await ts.logProb("abc")).toBe(-4.5);
  });

  test("skew-normal extrapolation approximates the exact exposure", async () => {
    const f = new CanaryFormat("{}{}{}{}", "0123456789");
    // Extrapolating 3.4 sd into the tail from 1000 samples: the sd's own sampling error
    // (~2%) moves the estimate by ~0.3 bits, so 0.75 bits is the honest tolerance.
    for (const rank of [3, 100]) {
      const scorer = constructedScorer(f, 7391, rank);
      for (const seed of [1, 2, 3]) {
        const r = await exposureByExtrapolation(f, 7391, scorer, { samples: 1000, seed });
        expect(Math.abs(r.exposure - Math.log2(10000 / rank))).toBeLessThan(0.75);
        expect(r.fit?.alpha).toBe(0); // normal data: skewness not significant
      }
    }
  });

  test("skew-normal CDF matches closed forms", () => {
    expect(normalCdf(-1.959963984540054)).toBeCloseTo(0.025, 7);
    expect(normalCdf(-5) / 2.866515718791939e-7).toBeCloseTo(1, 5);
    // F(xi) = 1/2 - arctan(alpha)/pi (Azzalini 1985)
    for (const alpha of [0, 1, -2, 5])
      expect(skewNormalCdf(3, { xi: 3, omega: 2, alpha })).toBeCloseTo(0.5 - Math.atan(alpha) / Math.PI, 6);
    expect(skewNormalCdf(1.5, { xi: 0, omega: 1, alpha: 0 })).toBeCloseTo(normalCdf(1.5), 6);
  });

  test("method-of-moments fit recovers a skew-normal; normal data gives alpha 0", () => {
    const rng0 = aleaRng(8);
    expect(fitSkewNormal(Array.from({ length: 2000 }, () => rng0.normal())).alpha).toBe(0);
    // draw SN(xi=1, omega=2, alpha=3) via delta|Z0| + sqrt(1-delta^2) Z1
    const rng = aleaRng(7);
    const delta = 3 / Math.sqrt(10);
    const xs = Array.from(
      { length: 20000 },
      () => 1 + 2 * (delta * Math.abs(rng.normal()) + Math.sqrt(1 - delta * delta) * rng.normal()),
    );
    const fit = fitSkewNormal(xs);
    expect(fit.xi).toBeCloseTo(1, 0);
    expect(fit.omega).toBeCloseTo(2, 0);
    expect(fit.alpha).toBeGreaterThan(1.5);
  });
});
