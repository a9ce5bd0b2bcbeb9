import { realWordRate, wordSet } from "./realWords";

const corpus = wordSet("The Congress shall have Power to lay and collect Taxes.");

test("counts letter runs of three or more, case-insensitively, against the corpus words", () => {
  // words: "the", "power", "taxes", "blorp" (3 of 4 known); "to", "a" are too short
  expect(realWordRate("THE power to a taxes blorp", corpus)).toBe(0.75);
  expect(realWordRate("xqz vvk", corpus)).toBe(0);
  expect(realWordRate("a b c", corpus)).toBeNaN();
});

test("punctuation and digits split words; minLength is checked", () => {
  expect(realWordRate("congress,shall;lay1and", corpus)).toBe(1);
  expect(() => realWordRate("x", corpus, 0)).toThrow(/minLength/);
});
