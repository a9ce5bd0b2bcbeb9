// The BPE trainer: minbpe's published example, and incremental counting equal to a full recount.
import { sotuText } from "./corpus";
import { learnMergesNaive, trainNaive } from "./naive";
import { learnMerges, trainBPE } from "./train";

function randomText(seed: number, length: number, alphabet: string): string {
  let s = seed;
  const rand = (): number => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const chars = [...alphabet];
  let out = "";
  for (let i = 0; i < length; i++) out += chars[Math.floor(rand() * chars.length)];
  return out;
}

describe("BPE training", () => {
  it("reproduces minbpe's Wikipedia example: aaabdaaabac, 3 merges -> [258, 100, 258, 97, 99]", () => {
    const tok = trainBPE("aaabdaaabac", { vocabSize: 256 + 3 });
    expect(tok.encode("aaabdaaabac")).toEqual([258, 100, 258, 97, 99]);
    // Wikipedia's steps: Z = aa, Y = ab, X = ZY.
    expect(tok.getMerges()).toEqual([
      [97, 97],
      [97, 98],
      [256, 257],
    ]);
    expect(tok.decode([258, 100, 258, 97, 99])).toBe("aaabdaaabac");
  });

  it.each([
    ["a tiny alphabet (many ties and overlapping pairs like aaa)", 1, "aab "],
    ["letters, digits and punctuation", 2, "abcde fgh 0123.,!'\n"],
    ["multi-byte text", 3, "éü中文😀 ab"],
  ])("incremental counting equals a full recount per merge on random text: %s", (_name, seed, alphabet) => {
    const text = randomText(seed as number, 3000, alphabet as string);
    for (const pattern of ["gpt2", "gpt4"]) {
      const fast = trainBPE(text, { vocabSize: 420, pattern });
      const slow = trainNaive(text, { vocabSize: 420, pattern });
      expect(fast.getMerges()).toEqual(slow.merges);
      expect(fast.decode(fast.encode(text))).toBe(text);
    }
  });

  it("equals the recount on real text and stops when nothing is left to merge", () => {
    const text = sotuText(8000);
    expect(trainBPE(text, { vocabSize: 600 }).getMerges()).toEqual(trainNaive(text, { vocabSize: 600 }).merges);
    // One chunk "abab": at most 2 merges exist (ab, abab).
    const m = learnMerges([Uint8Array.from([97, 98, 97, 98])], [1], { vocabSize: 1000 });
    expect(m.merges).toEqual([
      [97, 98],
      [256, 256],
    ]);
    expect(learnMergesNaive([Uint8Array.from([97, 98, 97, 98])], [1], 1000).merges).toEqual(m.merges);
  });

  it("reuses the id when two merge paths spell the same bytes (one byte string, one token)", () => {
    // "abc" chunks weighted so that (b, c) merges first, then (a, b), then (a, bc) and (ab, c).
    const chunks = [
      Uint8Array.from([98, 99]),
      Uint8Array.from([97, 98]),
      Uint8Array.from([97, 98, 99]),
      Uint8Array.from([97, 98, 120, 99]),
    ];
    const m = learnMerges(chunks, [10, 9, 5, 1], { vocabSize: 260 });
    const naive = learnMergesNaive(chunks, [10, 9, 5, 1], 260);
    expect(m).toEqual(naive);
    const texts = m.tokens.map((b) => Buffer.from(b).toString("latin1"));
    expect(new Set(texts).size).toBe(texts.length);
  });

  it("reports progress and stops cleanly on abort, leaving a usable tokenizer", () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const tok = trainBPE(sotuText(20_000), {
      vocabSize: 1000,
      signal: controller.signal,
      onProgress: (info) => {
        seen.push(info.merges);
        if (info.merges === 10) controller.abort();
      },
    });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(tok.getMerges()).toHaveLength(10);
    expect(tok.decode(tok.encode("Fellow-Citizens"))).toBe("Fellow-Citizens");
  });

  it("rejects a vocabulary smaller than the 256 bytes", () => {
    expect(() => trainBPE("abc", { vocabSize: 100 })).toThrow(/vocabSize 100: expected an integer >= 256/);
  });
});
