import { bootstrapCI, mean, quantileSorted } from "../../src/eval/bootstrap";
import {
  bitsPerByteOf,
  perplexityOf,
  perplexityReport,
  scoreDocuments,
  scoreFromLogProbs,
} from "../../src/eval/perplexity";
import { aleaRng } from "../../src/model/rng";

describe("perplexity and bits per byte", () => {
  test("uniform model over V tokens has perplexity V", () => {
    const lp = new Array(20).fill(Math.log(1 / 50));
    const d = scoreFromLogProbs(lp, "x".repeat(40), "s");
    expect(perplexityOf([d])).toBeCloseTo(50, 10);
    // 20 tokens * log2(50) bits over 40 bytes
    expect(bitsPerByteOf([d])).toBeCloseTo((20 * Math.log2(50)) / 40, 10);
  });

  test("corpus perplexity is the ratio of sums, bytes count UTF-8", () => {
    const a = scoreFromLogProbs([Math.log(0.5), Math.log(0.25)], "é", "a"); // 2 bytes
    const b = scoreFromLogProbs([Math.log(0.125)], "ab", "b");
    expect(a.bytes).toBe(2);
    // nll = ln2 + 2ln2 + 3ln2 = 6 ln2 over 3 tokens -> exp(2 ln2) = 4
    expect(perplexityOf([a, b])).toBeCloseTo(4, 10);
    expect(bitsPerByteOf([a, b])).toBeCloseTo(6 / 4, 10);
  });

  test("rejects positive log-probs with a clear error", () => {
    expect(() => scoreFromLogProbs([0.3], "x", "news")).toThrow(/'news'.*<= 0/);
  });

  test("report groups by source and brackets the estimate", async () => {
    const rng = aleaRng(3);
    const docs = Array.from({ length: 30 }, (_, i) => ({
      text: "abcd".repeat(5 + (i % 3)),
      source: i % 2 ? "sotu" : "shakespeare",
      split: "val",
    }));
    const scorer = {
      tokenLogProbs: (t: string) => Array.from({ length: t.length / 2 }, () => Math.log(0.05 + 0.9 * rng.uniform())),
    };
    const scored = await scoreDocuments(docs, scorer);
    const rep = perplexityReport(scored, { seed: 1, resamples: 200 });
    expect(rep.map((r) => r.group)).toEqual(["shakespeare", "sotu"]);
    for (const r of rep) {
      expect(r.documents).toBe(15);
      expect(r.perplexity.low).toBeLessThanOrEqual(r.perplexity.estimate);
      expect(r.perplexity.high).toBeGreaterThanOrEqual(r.perplexity.estimate);
      expect(r.perplexity.estimate).toBeCloseTo(perplexityOf(scored.filter((d) => d.source === r.group)), 12);
    }
    const ac = new AbortController();
    ac.abort();
    expect(await scoreDocuments(docs, scorer, { signal: ac.signal })).toHaveLength(0);
  });
});

describe("bootstrap", () => {
  test("type-7 quantiles match NumPy", () => {
    // np.quantile([1,2,3,4], [0.25, 0.9]) = [1.75, 3.7]
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75);
    expect(quantileSorted([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7);
  });

  test("seeded: same seed, same interval", () => {
    const xs = Array.from({ length: 40 }, (_, i) => (i * 7) % 11);
    expect(bootstrapCI(xs, mean, { seed: 5 })).toEqual(bootstrapCI(xs, mean, { seed: 5 }));
  });

  test("95% interval of a normal mean covers the true mean about 95% of the time", () => {
    // 200 data sets of 60 N(1, 2^2) draws; percentile-bootstrap coverage for the mean at this n
    // is ~0.93-0.95, so with 200 trials (sd ~0.016) anything outside [0.88, 0.99] is a bug.
    const rng = aleaRng(11);
    let covered = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const xs = Array.from({ length: 60 }, () => 1 + 2 * rng.normal());
      const ci = bootstrapCI(xs, mean, { seed: t, resamples: 400 });
      if (ci.low <= 1 && 1 <= ci.high) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.88);
    expect(covered / trials).toBeLessThan(0.99);
  });
});
