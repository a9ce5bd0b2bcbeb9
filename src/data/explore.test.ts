// The calls notebooks 01 and 02 make, with the same arguments (CI size), and their checks.
import {
  brownExample,
  clusterRows,
  collect,
  compositionFigures,
  filterExamples,
  firstOfEach,
  lshCurveFigure,
  mailExample,
  pipelineFigures,
} from "./explore";
import { cleanDocs } from "./pipeline";
import { loadSources, sourceManifest, SOURCES } from "./sources";
import { optimalParam } from "./dedup/lsh";
import { exactSubstringDedup } from "./dedup/suffixArray";
import { findLeakage } from "./split";
import { detokenize } from "./sources/brown";
import { scrubPii } from "./pii";
import { normalizeText } from "./normalize";

describe("notebook 01 calls", () => {
  test("collect(limit 25): four sources, counts that add up, composition figures", async () => {
    for (const s of SOURCES) expect(Object.keys(sourceManifest(s).files).length).toBeGreaterThan(0);
    const { docs, summary } = await collect({ sources: [...SOURCES], limit: 25 });
    expect(summary.sources).toBe(4);
    expect(summary.documents).toBe(100);
    expect(summary.bytes).toBe(docs.reduce((a, d) => a + Buffer.byteLength(d.text), 0));
    expect(summary.rows.reduce((a, r) => a + r.documents, 0)).toBe(100);
    const shares = Object.values(summary.bySource).reduce((a, v) => a + v.bytes / summary.bytes, 0);
    expect(shares).toBeCloseTo(1, 12);
    const figs = compositionFigures(summary);
    expect(figs.bySource.data[0]).toMatchObject({ type: "bar", x: SOURCES });
    expect(figs.byDecade.data.map((t) => t.name).sort()).toEqual([...SOURCES].sort());
    expect(firstOfEach(docs).map((d) => d.id.split("/")[0])).toEqual(SOURCES);
  });
  test("brownExample and mailExample", () => {
    const b = brownExample("ca01", 2);
    expect(b.text[0]).toMatch(
      /^The Fulton County Grand Jury said Friday .* "no evidence" that any irregularities took place\.$/,
    );
    const m = mailExample();
    expect(m.raw).toMatch(/^From exmh-workers-admin@redhat\.com/);
    expect(m.cleaned.length).toBeLessThan(m.raw.length / 2);
    expect(m.cleaned).not.toMatch(/^Received:/m);
  });
  test("exercise 2's target is reachable: the em-dash rule", () => {
    expect(detokenize(["He", "said", "``", "wait", "--", "now", "''", "."]).replace(/ -- /g, "—")).toBe(
      'He said "wait—now".',
    );
  });
});

describe("notebook 02 calls", () => {
  test("normalisation and PII demo strings", () => {
    expect(normalizeText("Cafe\u0301\u200B  menu\r\n\r\n\r\n\tsoup\u00A0of the day")).toBe(
      "Café menu\n\nsoup of the day",
    );
    const pii = scrubPii(
      "Mail jane.doe@example.com or call +44 20 7946 0958 / (555) 123-4567; server 192.168.0.1, card 4111 1111 1111 1111. Not PII: 1999-2002, 3.14159, ISSN 1234-5678, 12:30:45.",
    );
    expect(pii.text).toBe(
      "Mail [EMAIL] or call [PHONE] / [PHONE]; server [IPV4], card [CREDIT_CARD]. Not PII: 1999-2002, 3.14159, ISSN 1234-5678, 12:30:45.",
    );
  });
  test("filterExamples: each constructed input is removed by its own filter; 'kept' passes", () => {
    for (const [name, e] of Object.entries(filterExamples())) expect(e.removal?.filter ?? "kept").toBe(name);
  });
  test("LSH curve figure passes through P = 1-(1-t^r)^b", () => {
    const p = optimalParam(0.8, 128);
    const fig = lshCurveFigure({ ...p, threshold: 0.8 });
    const y = (fig.data[0] as unknown as { y: number[] }).y;
    expect(y[80]).toBeCloseTo(1 - Math.pow(1 - Math.pow(0.8, 13), 9), 12);
  });
  test("pipeline at CI size (limit 40): published metrics are consistent; no leakage", async () => {
    const { kept, report } = await cleanDocs(loadSources([...SOURCES], { limit: 40 }), {
      nearDup: { threshold: 0.8, numPerm: 128 },
    });
    expect(report.documentsIn).toBe(160);
    const removed = Object.values(report.removedByFilter).reduce((a, b) => a + b, 0);
    expect(removed + report.documentsKept).toBe(160);
    expect(report.duplicatesRemoved).toBe(
      report.removedByFilter.exact_duplicate + report.removedByFilter.near_duplicate,
    );
    expect(Object.keys(report.piiReplaced).sort()).toEqual([
      "credit_card",
      "email",
      "ipv4",
      "ipv6",
      "phone",
      "url_credentials",
    ]);
    expect(report.piiReplaced.email).toBeGreaterThan(0);
    expect(kept).toHaveLength(report.documentsKept);
    expect(findLeakage(kept, 0.8)).toEqual([]);
    const figs = pipelineFigures(report);
    expect(figs.removed.data[0].type).toBe("bar");
    for (const row of clusterRows(report)) expect(row.size).toBeGreaterThanOrEqual(2);
    const emails = kept.filter((d) => d.source === "spam-assassin").map((d) => d.text);
    const sub = exactSubstringDedup(emails, 30);
    expect(sub.texts).toHaveLength(emails.length);
    expect(sub.removedTokens).toBeGreaterThanOrEqual(30 * sub.removedSpans);
    // exercise 2 reference: the most bands over t = 0.5..0.95 at k = 128
    expect(Math.max(...[0.5, 0.7, 0.9].map((t) => optimalParam(t, 128).bands))).toBe(25);
  });
});
