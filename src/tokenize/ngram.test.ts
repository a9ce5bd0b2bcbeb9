import { bigramBitsPerByte, tokenizerBitsPerByte } from "./ngram";
import { CharTokenizer } from "./char";

describe("bigram bits per byte", () => {
  it("matches a hand-worked add-k example", () => {
    // train 0 1 0 1, V = 2, k = 1: P(0) = (2+1)/(4+2) = 1/2; P(1|0) = (2+1)/(2+2) = 3/4.
    const s = bigramBitsPerByte([0, 1, 0, 1], [0, 1], 2, 2, 1);
    expect(s.bitsPerByte).toBeCloseTo((1 - Math.log2(0.75)) / 2, 12);
    expect(s.bitsPerToken).toBeCloseTo((1 - Math.log2(0.75)) / 2, 12);
  });
  it("is 8 bits per byte for a uniform model over bytes (k huge)", () => {
    const ids = Array.from({ length: 50 }, (_, i) => (i * 7) % 256);
    expect(bigramBitsPerByte(ids, ids, ids.length, 256, 1e12).bitsPerByte).toBeCloseTo(8, 6);
  });
  it("learns a repetitive text to well under its character entropy", () => {
    const text = "abcabcabcabcabcabcabcabc";
    const tok = CharTokenizer.train(text);
    expect(tokenizerBitsPerByte(tok, text, text).bitsPerByte).toBeLessThan(0.5);
  });
  it("rejects k <= 0", () => {
    expect(() => bigramBitsPerByte([0], [0], 1, 1, 0)).toThrow(/expected k > 0/);
  });
});
