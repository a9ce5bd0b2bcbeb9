import { cleanDocs } from "./pipeline";
import { assignSplit, findLeakage } from "./split";
import { Doc } from "./types";

const VOCAB =
  "the of and to in that with have be for river market garden letter morning council harbour engine winter village teacher doctor station window summer evening report budget".split(
    " ",
  );
function prose(seed: number, words: number): string {
  let s = seed >>> 0;
  return Array.from({ length: words }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return VOCAB[(s >>> 8) % VOCAB.length];
  }).join(" ");
}
const doc = (id: string, text: string): Doc => ({ id, source: "test", genre: null, year: null, text, metadata: {} });

// 200 documents of which 60 have a near-duplicate twin (one word changed).
function corpus(): Doc[] {
  const docs: Doc[] = [];
  for (let i = 0; i < 140; i++) docs.push(doc(`d${i}`, prose(i + 1, 150)));
  for (let i = 0; i < 60; i++) docs.push(doc(`twin${i}`, docs[i].text.replace(/^(\S+)/, "lighthouse")));
  return docs;
}

describe("splits", () => {
  test("assignment depends on the id only and matches the fractions roughly", () => {
    const ids = Array.from({ length: 4000 }, (_, i) => `doc-${i}`);
    const counts = { train: 0, val: 0, test: 0 };
    for (const id of ids) counts[assignSplit(id)]++;
    expect(assignSplit("doc-1")).toBe(assignSplit("doc-1"));
    // Binomial(4000, 0.05): sd = 13.8; 5 sd bounds.
    expect(Math.abs(counts.val - 200)).toBeLessThan(70);
    expect(Math.abs(counts.test - 200)).toBeLessThan(70);
  });
  test("no leakage after dedup: no val/test document has a (near-)duplicate in another split", async () => {
    const { kept, report } = await cleanDocs(corpus(), { filters: { language: false, blocklist: false } });
    expect(report.nearDuplicates).toBe(60);
    expect(findLeakage(kept)).toEqual([]);
  });
  test("the leakage check does find leaks when dedup is switched off (so the test above can fail)", async () => {
    const { kept } = await cleanDocs(corpus(), {
      filters: { language: false, blocklist: false },
      nearDup: false,
      splits: { val: 0.3, test: 0.3 },
    });
    const leaks = findLeakage(kept);
    expect(leaks.length).toBeGreaterThan(0);
    for (const l of leaks) expect(l.kind).toBe("near");
  });
  test("bad fractions are a clear error", () => {
    expect(() => assignSplit("x", { val: 0.6, test: 0.5 })).toThrow(/must be >= 0 and sum below 1/);
  });
});
