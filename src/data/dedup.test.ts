import { cleanDocs } from "./pipeline";
import { Doc } from "./types";
import { exactSubstringDedup, lcpArray, suffixArray } from "./dedup/suffixArray";

const VOCAB = (
  "the of and to in that with have be for on as at by from this they we you it river market garden letter morning " +
  "council harbour engine winter village teacher doctor station window summer evening report budget meeting project " +
  "carefully quickly slowly answered walked opened closed started finished visited wanted needed"
).split(" ");

function prose(seed: number, words: number): string {
  let s = seed >>> 0;
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push(VOCAB[s % VOCAB.length]);
    if (i % 12 === 11) out[out.length - 1] += ".";
  }
  return out.join(" ");
}

const doc = (id: string, text: string, format?: string): Doc => ({
  id,
  source: "test",
  genre: null,
  year: null,
  text,
  metadata: format ? { format } : {},
});

const ORIGINAL_BODY = prose(1, 220);
const ORIGINAL = [
  "From: alice@example.com",
  "To: team@example.com",
  "Subject: Budget meeting notes",
  "",
  ORIGINAL_BODY,
  "",
  "-- ",
  "Alice",
].join("\n");
// Forwarded a day later with a note on top, a forwarded-header block, two words edited.
const EDITED = ORIGINAL_BODY.replace("river", "lake").replace("winter", "autumn");
const FORWARDED = [
  "From: bob@example.org",
  "To: carol@example.net",
  "Subject: Fwd: Budget meeting notes",
  "",
  "FYI, see below.",
  "",
  "---------- Forwarded message ----------",
  "From: Alice <alice@example.com>",
  "Date: Tue, 3 Sep 2002 10:00:00",
  "Subject: Budget meeting notes",
  "",
  EDITED,
  "",
  "-- ",
  "Bob, sent from the office",
].join("\n");

describe("dedup in the pipeline", () => {
  test("a forwarded email with small edits is found as a near-duplicate of the original", async () => {
    const docs = [
      doc("orig", ORIGINAL, "rfc822"),
      doc("other", prose(2, 220)),
      doc("fwd", FORWARDED, "rfc822"),
      doc("third", prose(3, 220)),
    ];
    const { kept, report } = await cleanDocs(docs);
    expect(kept.map((d) => d.id)).toEqual(["orig", "other", "third"]);
    expect(report.nearDuplicates).toBe(1);
    expect(report.duplicateClusters).toEqual([
      { representative: "orig", members: [{ id: "fwd", jaccard: expect.any(Number) }] },
    ]);
    expect(report.duplicateClusters[0].members[0].jaccard).toBeGreaterThanOrEqual(0.8);
    expect(report.removedExamples.near_duplicate[0].reason).toMatch(/^estimated Jaccard 0\.\d+ with orig$/);
  });
  test("exact duplicates differing only in case/punctuation/spacing go first, as exact", async () => {
    const t = prose(5, 100);
    const { report } = await cleanDocs([doc("a", t), doc("b", t.toUpperCase().replace(/\./g, "!  "))]);
    expect(report.exactDuplicates).toBe(1);
    expect(report.nearDuplicates).toBe(0);
  });
  test("documents below the threshold are kept", async () => {
    const t = prose(9, 200);
    const half = t.split(" ").slice(0, 100).join(" ") + " " + prose(10, 100); // Jaccard ~ 1/3
    const { report } = await cleanDocs([doc("a", t), doc("b", half)]);
    expect(report.documentsKept).toBe(2);
  });
});

describe("suffix array", () => {
  const naiveSA = (s: number[]) =>
    s
      .map((_, i) => i)
      .sort((a, b) => {
        for (let k = 0; ; k++) {
          if (a + k >= s.length) return -1;
          if (b + k >= s.length) return 1;
          if (s[a + k] !== s[b + k]) return s[a + k] - s[b + k];
        }
      });
  test("matches naive suffix sorting and LCP on random strings (incl. negatives)", () => {
    let seed = 7;
    for (let trial = 0; trial < 30; trial++) {
      const n = 1 + ((trial * 7) % 60);
      const s = Array.from({ length: n }, () => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        return (seed % 4) - 1;
      });
      const sa = suffixArray(Int32Array.from(s));
      expect(Array.from(sa)).toEqual(naiveSA(s));
      const lcp = lcpArray(Int32Array.from(s), sa);
      for (let i = 1; i < n; i++) {
        let h = 0;
        while (sa[i - 1] + h < n && sa[i] + h < n && s[sa[i - 1] + h] === s[sa[i] + h]) h++;
        expect(lcp[i]).toBe(h);
      }
    }
  });
  test("banana: SA = [5,3,1,0,4,2] (the textbook example)", () => {
    const s = Int32Array.from("banana", (c) => c.charCodeAt(0));
    expect(Array.from(suffixArray(s))).toEqual([5, 3, 1, 0, 4, 2]);
    expect(Array.from(lcpArray(s, suffixArray(s)))).toEqual([0, 1, 3, 0, 0, 2]);
  });
  test("exact substring dedup cuts a repeated 60-word span from the later document only", () => {
    const shared = prose(20, 60);
    const a = prose(21, 30) + " " + shared + " " + prose(22, 30);
    const b = prose(23, 30) + " " + shared + " " + prose(24, 30);
    const r = exactSubstringDedup([a, b], 50);
    expect(r.texts[0]).toBe(a);
    expect(r.texts[1]).toBe(prose(23, 30) + " " + prose(24, 30));
    expect(r.removedTokens).toBe(60);
    expect(r.removedSpans).toBe(1);
  });
});
