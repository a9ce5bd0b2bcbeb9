import { diversityReport, entropyBits } from "./diversity";
import { Doc } from "./types";

const doc = (id: string, source: string, year: number | null, text: string): Doc => ({
  id,
  source,
  genre: "g",
  year,
  text,
  metadata: {},
});

describe("diversity report", () => {
  test("entropy of a uniform distribution over 8 outcomes is 3 bits; of a point mass, 0", () => {
    expect(entropyBits([5, 5, 5, 5, 5, 5, 5, 5])).toBeCloseTo(3, 12);
    expect(entropyBits([7])).toBe(0);
  });
  test("counts per source/decade, type-token ratio and n-gram entropy by hand", () => {
    const r = diversityReport([doc("a", "s1", 1791, "a b a b"), doc("b", "s2", null, "c d e f")]);
    expect(r.total).toEqual({ documents: 2, tokens: 8, bytes: 14 });
    expect(r.byDecade).toEqual({
      "1790s": { documents: 1, tokens: 4, bytes: 7 },
      unknown: { documents: 1, tokens: 4, bytes: 7 },
    });
    expect(r.typeTokenRatio).toEqual({ s1: 0.5, s2: 1 });
    // unigrams: a2 b2 c1 d1 e1 f1 over 8 -> H = 2*(1/4*2) + 4*(1/8*3) = 2.5 bits
    expect(r.ngramEntropyBits.unigram).toBeCloseTo(2.5, 10);
    // bigrams: ab ab ba | cd de ef -> counts 2,1,1,1,1 over 6
    expect(r.ngramEntropyBits.bigram).toBeCloseTo(-(2 / 6) * Math.log2(2 / 6) - 4 * (1 / 6) * Math.log2(1 / 6), 10);
  });
});
