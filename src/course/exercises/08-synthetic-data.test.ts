// 08's checkers: the reference answer passes, the usual slips fail and are named.
import { exactSubstringDedup } from "../../data";
import { insertCanary } from "../../eval";
import { dedupExact } from "../../synthetic";
import { fails, verdict } from "./testing";

describe("08.1 a normalisation for contamination checks", () => {
  it("passes lower-cased words and names kept punctuation, kept case and dropped content", () => {
    expect(
      verdict("08.1", (t: string) =>
        t
          .toLowerCase()
          .replace(/[^\p{L}\p{N}\s]/gu, "")
          .replace(/\s+/g, " ")
          .trim(),
      ).ok,
    ).toBe(true);
    fails("08.1", (t: string) => t.toLowerCase(), /drop punctuation/);
    fails("08.1", (t: string) => t.replace(/[^\p{L}\p{N}\s]/gu, ""), /lower-case both/);
    fails("08.1", () => "", /lost letters or digits/);
    fails("08.1", (t: string) => t, /is not found/);
  });
});

describe("08.2 a dedup that removes inline canaries", () => {
  const docs = Array.from({ length: 10 }, (_, n) =>
    Array.from({ length: 12 }, (_, i) => `w${(n * 131 + i * 71) % 1009}`).join(" "),
  );
  const canary = "my PIN is 2-7-1-8";
  const before = insertCanary(docs, canary, 4, { mode: "inline", seed: 1 }).corpus;
  it("passes substring dedup and names document-level dedup, leftovers and over-deletion", () => {
    expect(verdict("08.2", { canary, before, after: exactSubstringDedup(before, 4).texts }).ok).toBe(true);
    fails("08.2", { canary, before, after: dedupExact(before).docs }, /document-level dedup keeps them all/);
    fails(
      "08.2",
      { canary, before, after: before.filter((d) => !d.includes(canary)) },
      /no copy of the canary is left/,
    );
    const first = before.findIndex((d) => d.includes(canary));
    fails(
      "08.2",
      { canary, before, after: before.map((d, i) => (i === first ? d : "")) },
      /also \d+% of the other text/,
    );
    fails("08.2", { canary, before: docs, after: docs }, /insert its copies first/);
  });
});
