import { cda, counterfactual } from "../../src/eval/bias/cda";

describe("counterfactual data augmentation", () => {
  test.each([
    ["He said she was right.", "She said he was right."],
    ["The king and the queen met.", "The queen and the king met."],
    ["HE IS HERE", "SHE IS HERE"],
    ["Mr. Smith thanked his wife.", "Mrs. Smith thanked her husband."],
    ["She gave her book to him.", "He gave his book to her."],
    ["I saw her yesterday and told her.", "I saw him yesterday and told him."],
    ["The book is his.", "The book is hers."],
    ["Her father's house", "His mother's house"],
    ["John met Mary and the congressmen.", "Mary met John and the congresswomen."],
    ["Themselves, others, chemistry, theme.", "Themselves, others, chemistry, theme."],
  ])("%s -> %s", (input, expected) => {
    expect(counterfactual(input)).toBe(expected);
  });

  test("the swap is an involution on unambiguous text", () => {
    const t = "The chairman told his brothers that the men and women of Congress agreed.";
    expect(counterfactual(counterfactual(t))).toBe(t);
  });

  test("augment adds only changed documents; substitute keeps size and is seeded", () => {
    expect(cda(["he ran", "it rained"])).toEqual(["he ran", "it rained", "she ran"]);
    const docs = Array.from({ length: 40 }, (_, i) => `he said ${i}`);
    const s1 = cda(docs, { mode: "substitute", seed: 3 });
    expect(s1).toHaveLength(40);
    expect(s1).toEqual(cda(docs, { mode: "substitute", seed: 3 }));
    const swapped = s1.filter((d) => d.startsWith("she")).length;
    expect(swapped).toBeGreaterThan(10);
    expect(swapped).toBeLessThan(30);
  });

  test("custom word lists", () => {
    expect(counterfactual("The actor left.", { words: [["actor", "actress"]], names: [] })).toBe("The actress left.");
  });
});
