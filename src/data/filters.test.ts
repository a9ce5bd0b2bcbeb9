import { applyFilters } from "./filters";
import { blocklistCheck } from "./blocklist";
import { languageCheck, scriptShares } from "./language";

const ENGLISH =
  "It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of foolishness, it was the epoch of belief, it was the epoch of incredulity, and we had everything before us, we had nothing before us, we were all going direct to Heaven.";

describe("blocklist filter", () => {
  test("rate above maxRate removes, below keeps, and the reason names the count", () => {
    const words = Array(99).fill("fine").join(" ");
    expect(blocklistCheck(words + " shit", { maxRate: 0.005 })?.hits).toBe(1); // 1/100 > 0.005
    expect(blocklistCheck(words + " shit", { maxRate: 0.02 })).toBeNull();
    expect(blocklistCheck("Shit! " + words, { maxRate: 0 })?.reason).toMatch(/^1 blocklisted words/);
  });
  test("whole words only: 'Scunthorpe' and 'cocktail' are not hits", () => {
    expect(blocklistCheck("Scunthorpe cocktail dickens", { maxRate: 0 })).toBeNull();
  });
  test("custom list", () => {
    expect(blocklistCheck("the banana is here", { words: ["Banana"], maxRate: 0 })?.hits).toBe(1);
  });
});

describe("language/script check", () => {
  test("English prose passes", () => {
    expect(languageCheck(ENGLISH)).toBeNull();
  });
  test("German (Latin script) fails on function words", () => {
    const de =
      "Es war einmal ein kleines Mädchen, das hatte eine Großmutter, die wohnte draußen im Wald, eine halbe Stunde vom Dorf.";
    expect(languageCheck(de)?.reason).toMatch(/function-word share/);
  });
  test("Russian fails on script, with the share in the reason", () => {
    const ru = "Все счастливые семьи похожи друг на друга, каждая несчастливая семья несчастлива по-своему.";
    expect(scriptShares(ru).Cyrillic).toBe(1);
    expect(languageCheck(ru)?.reason).toMatch(/^0\.0% of letters in Latin script/);
  });
});

describe("filter chain", () => {
  test("records the first failing filter and its reason", () => {
    expect(applyFilters("too short")).toEqual({ filter: "language", reason: expect.stringMatching(/function-word/) });
    expect(applyFilters("it was the end of it")?.filter).toBe("gopher_word_count");
    expect(applyFilters(ENGLISH)).toBeNull();
    expect(applyFilters(ENGLISH + " fuck fuck", { blocklist: { maxRate: 0.01 } })?.filter).toBe("blocklist");
  });
  test("filters can be switched off", () => {
    expect(applyFilters("it was the end of it", { gopher: false })).toBeNull();
  });
});
