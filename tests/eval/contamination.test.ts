import { gpt3NgramSize, ngramContamination, NgramOverlapIndex } from "../../src/eval/ngramOverlap";
import { normalizeChars, substringContamination } from "../../src/eval/substringOverlap";
import { normalizeWords } from "../../src/eval/ngram";
import { plantLeaks } from "../../src/eval/leaks";
import { aleaRng } from "../../src/model/rng";

// Random text over a 2000-word pseudo vocabulary: two independent 13-grams collide with
// probability ~2000^-13, so any flag on the clean set is a bug, not chance.
function corpus(docs: number, words: number, seed: number): string[] {
  const rng = aleaRng(seed);
  const syll = ["ka", "lo", "mi", "ne", "tu", "ra", "se", "vo", "pi", "da"];
  const vocab = Array.from(
    { length: 2000 },
    (_, i) => syll[i % 10] + syll[Math.floor(i / 10) % 10] + syll[Math.floor(i / 100) % 10] + (i >= 1000 ? "x" : ""),
  );
  return Array.from({ length: docs }, () =>
    Array.from({ length: words }, (_, j) => vocab[rng.int(vocab.length)] + (j % 9 === 8 ? "." : "")).join(" "),
  );
}

describe("GPT-3 13-gram overlap", () => {
  const train = corpus(60, 300, 1);
  const evalSet = corpus(40, 30, 2);

  test("normalisation ignores case and punctuation", () => {
    expect(normalizeWords("The U.S. Congress, don't   WAIT!")).toEqual(["the", "u", "s", "congress", "dont", "wait"]);
  });

  test("no false flags on clean text", async () => {
    const r = await ngramContamination(train, evalSet);
    expect(r.dirty).toBe(0);
    expect(r.clean).toHaveLength(40);
  });

  test("every planted leak is found, nothing else is flagged", async () => {
    const leaks = plantLeaks(train, evalSet, 7, { seed: 3 });
    const r = await ngramContamination(leaks.train, evalSet);
    const flagged = r.flags.filter((f) => f.dirty).map((f) => f.index);
    expect(flagged).toEqual(leaks.planted);
    for (const e of leaks.planted) expect(r.flags[e].first?.trainDoc).toBe(leaks.into.get(e));
    expect(r.rate).toBeCloseTo(7 / 40);
    expect(r.clean).toEqual([...Array(40).keys()].filter((i) => !leaks.planted.includes(i)));
  });

  test("a single shared 13-gram is enough; 12 shared words are not", () => {
    const ex = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen";
    const idx = new NgramOverlapIndex([ex], 13);
    idx.scan("zzz two three four five six seven eight nine ten eleven twelve thirteen zzz", 0);
    expect(idx.report().dirty).toBe(0);
    idx.scan("zzz TWO three four five six seven eight nine ten eleven twelve thirteen, fourteen", 1);
    expect(idx.report().flags[0]).toMatchObject({ dirty: true, first: { trainDoc: 1 } });
  });

  test("an example shorter than n is dirty only if it occurs whole", () => {
    const idx = new NgramOverlapIndex(["Who gave the 1830 address?"], 13);
    idx.scan("who gave the 1829 address", 0);
    expect(idx.report().dirty).toBe(0);
    idx.scan("Asked: who gave the 1830 address? Jackson.", 1);
    expect(idx.report().dirty).toBe(1);
  });

  test("GPT-3 per-task N is the 5th percentile length clamped to [8, 13]", () => {
    expect(gpt3NgramSize(["a b c"])).toBe(8);
    expect(gpt3NgramSize(corpus(5, 30, 4))).toBe(13);
    expect(gpt3NgramSize(Array.from({ length: 20 }, (_, i) => "w ".repeat(10 + i)))).toBe(10);
  });
});

describe("GPT-4 50-character substrings", () => {
  const train = corpus(40, 300, 5);
  const evalSet = corpus(30, 40, 6);

  test("normalisation keeps only letters and digits", () => {
    expect(normalizeChars("In 1830, Andrew Jackson's address!")).toBe("In1830AndrewJacksonsaddress");
  });

  test("planted leaks found (lower-cased matching), clean text not flagged", async () => {
    expect((await substringContamination(train, evalSet, { seed: 1 })).dirty).toBe(0);
    const leaks = plantLeaks(train, evalSet, 5, { seed: 9 }); // plantLeaks upper-cases the copy
    const caseSensitive = await substringContamination(leaks.train, evalSet, { seed: 1 });
    expect(caseSensitive.dirty).toBe(0);
    const r = await substringContamination(leaks.train, evalSet, { seed: 1, lowercase: true });
    expect(r.flags.filter((f) => f.dirty).map((f) => f.index)).toEqual(leaks.planted);
    const verbatim = plantLeaks(train, evalSet, 5, { seed: 9, perturb: false });
    const r2 = await substringContamination(verbatim.train, evalSet, { seed: 1 });
    expect(r2.flags.filter((f) => f.dirty).map((f) => f.index)).toEqual(verbatim.planted);
  });

  test("a leak of one sampled substring is found, a 49-char overlap is not", async () => {
    const ex = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const r1 = await substringContamination(["xx" + ex.slice(0, 49) + "yy"], [ex], { seed: 0, perExample: 1 });
    expect(r1.dirty).toBe(0);
    const r2 = await substringContamination(["xx " + ex + " yy"], [ex], { seed: 0 });
    expect(r2.dirty).toBe(1);
    expect(r2.flags[0].first?.ngram).toHaveLength(50);
  });

  test("short examples are matched whole", async () => {
    const r = await substringContamination(["he said: Andrew Jackson!"], ["andrew jackson", "Andrew Jackson"], {});
    expect(r.flags.map((f) => f.dirty)).toEqual([false, true]);
  });
});

describe("clean vs dirty comparison", () => {
  test("averages per subset", async () => {
    const { cleanVsDirty } = await import("../../src/eval/leaks");
    const r = cleanVsDirty(
      { flags: [{ dirty: true }, { dirty: false }, { dirty: false }, { dirty: true }] },
      [1, 0.5, 0.3, 0.9],
    );
    expect(r).toMatchObject({ nClean: 2, nDirty: 2 });
    expect(r.all).toBeCloseTo(0.675, 12);
    expect(r.clean).toBeCloseTo(0.4, 12);
    expect(r.dirty).toBeCloseTo(0.95, 12);
    expect(r.relativeChange).toBeCloseTo((0.4 - 0.675) / 0.675, 12);
    expect(() => cleanVsDirty({ flags: [] }, [1])).toThrow(/1 scores for 0 flagged/);
  });
});
