import { crossEntropy, perplexity } from "./perplexity";

describe("perplexity", () => {
  test("uniform logits give perplexity = vocabulary size", async () => {
    const V = 7;
    const r = await perplexity(
      (t) => new Float32Array(t.length * V),
      Array.from({ length: 40 }, (_, i) => i % V),
      { contextLength: 8 },
    );
    expect(r.perplexity).toBeCloseTo(V, 10);
    expect(r.tokens).toBe(5 * 7); // 5 windows of 8 tokens, 7 predictions each
  });

  test("a model that knows the next token exactly has perplexity 1; hand-worked 2-way case", async () => {
    const V = 3;
    const toks = [0, 1, 2, 0, 1, 2];
    const perfect = (t: number[]) => {
      const z = new Float32Array(t.length * V).fill(-1e4);
      t.forEach((tok, i) => (z[i * V + ((tok + 1) % V)] = 0));
      return z;
    };
    expect((await perplexity(perfect, toks, { contextLength: 3 })).perplexity).toBeCloseTo(1, 10);
    // Logits [ln 3, 0, 0]: p(target 0) = 3/5, so the cross-entropy is ln(5/3).
    expect(crossEntropy([Math.log(3), 0, 0], 0, 3, 0)).toBeCloseTo(Math.log(5 / 3), 12);
  });

  test("bad input is named", async () => {
    await expect(perplexity(() => new Float32Array(5), [1, 2], { contextLength: 4 })).rejects.toThrow(
      /at least contextLength/,
    );
    await expect(perplexity(() => new Float32Array(5), [1, 2, 3, 4], { contextLength: 4 })).rejects.toThrow(
      /not a multiple/,
    );
    expect(() => crossEntropy([0, 0], 0, 2, 2)).toThrow(/outside the vocabulary/);
  });
});
