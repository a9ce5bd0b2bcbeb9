import { gopherCheck, gopherStats } from "./gopher";

// A clean paragraph: 4 x 18 + 7 = 79 words, mean length ~4.6, plenty of stop words.
const GOOD =
  Array(4)
    .fill("The old captain walked slowly along the harbour and watched the ships that sailed with the morning tide.")
    .join(" ") + " We have to go with them now.";

function rule(text: string): string | null {
  return gopherCheck(text)?.rule ?? null;
}

describe("Gopher quality rules (Rae et al. 2021, App. A)", () => {
  test("a normal paragraph passes", () => {
    expect(gopherStats(GOOD).words).toBeGreaterThanOrEqual(50);
    expect(gopherCheck(GOOD)).toBeNull();
  });
  test("word count: 49 words fail, 50 pass, punctuation-only tokens do not count", () => {
    const w = (n: number) => Array.from({ length: n }, (_, i) => (i % 4 === 0 ? "the" : "word")).join(" ");
    expect(rule(w(49))).toBe("gopher_word_count");
    expect(rule(w(50))).toBeNull();
    expect(rule(w(49) + " - -- !")).toBe("gopher_word_count");
    expect(rule(Array(100_001).fill("the").join(" "))).toBe("gopher_word_count");
  });
  test("mean word length outside 3..10", () => {
    expect(rule(Array(60).fill("to be of it").join(" "))).toBe("gopher_mean_word_length"); // mean 2
    expect(rule(Array(30).fill("the internationalisation").join(" "))).toBe("gopher_mean_word_length"); // (3+20)/2 = 11.5
  });
  test("hash symbol ratio > 0.1 fails, exactly 0.1 passes", () => {
    const base = GOOD.split(" ");
    const n = base.length; // 79 words: 7 hashes pass (0.089), 8 fail (0.101)
    const withHashes = (k: number) => base.map((w, i) => (i < k ? "#" + w : w)).join(" ");
    expect(rule(withHashes(Math.floor(n * 0.1)))).toBeNull();
    expect(rule(withHashes(Math.floor(n * 0.1) + 1))).toBe("gopher_hash_ratio");
  });
  test("ellipsis ratio counts both '...' and '…'", () => {
    const base = GOOD.split(" ");
    expect(base.length).toBe(79);
    const t = base.map((w, i) => (i < 4 ? w + "..." : i < 8 ? w + "…" : w)).join(" ");
    expect(gopherStats(t).ellipsisRatio).toBeCloseTo(8 / 79, 10);
    expect(rule(t)).toBe("gopher_ellipsis_ratio");
  });
  test("more than 90% bullet lines", () => {
    const lines = Array.from({ length: 10 }, () => "- the quick brown foxes jumped over lazy dogs");
    expect(rule(lines.join("\n"))).toBe("gopher_bullet_lines");
    lines[0] = "The list below has the items, and that is all of it.";
    lines[1] = "Another plain line with the words to keep it.";
    expect(rule(lines.join("\n"))).toBeNull(); // 80% bullets
  });
  test("more than 30% of lines ending in an ellipsis", () => {
    const lines = Array.from(
      { length: 10 },
      (_, i) => `the brown foxes jumped over the lazy dogs again number ${i}` + (i < 4 ? "..." : "."),
    );
    expect(rule(lines.join("\n"))).toBe("gopher_ellipsis_lines");
    expect(rule(lines.map((l, i) => (i === 3 ? l.replace("...", ".") : l)).join("\n"))).toBeNull(); // exactly 30%
  });
  test("fewer than 80% of words with a letter", () => {
    const t = GOOD + " " + Array(20).fill("1234").join(" ");
    expect(gopherStats(t).alphaWordFraction).toBeCloseTo(79 / 99, 10);
    expect(rule(t)).toBe("gopher_alpha_words");
  });
  test("stop words: fewer than two of the eight fails; 'The,' counts", () => {
    const noStop = Array(60).fill("cats dogs birds").join(" ");
    expect(rule(noStop)).toBe("gopher_stop_words");
    expect(rule(noStop + " The, with")).toBeNull();
    expect(rule(noStop + " with")).toBe("gopher_stop_words");
  });
  test("the reason carries the measured value", () => {
    expect(gopherCheck("the cat")?.reason).toBe("2 words, outside 50..100000");
  });
});
