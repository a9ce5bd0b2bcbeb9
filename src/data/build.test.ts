import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildCorpus, cleanUserData } from "./build";

// Independent, broad patterns (not the scrubber's own): anything shaped like an address
// or a North American / international phone number.
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)*/;
const PHONE = /(?<![\w.,$])(?:\+\d[\d ().-]{7,}\d|\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4})(?![\w])/;

function readShards(dir: string): Record<string, unknown>[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .flatMap((f) =>
      fs
        .readFileSync(path.join(dir, f), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    );
}

describe("data build", () => {
  test("spam-assassin sample: no email or phone survives; schema, splits and report are written", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "llmlab-build-"));
    const { report, shards } = await buildCorpus({ sources: ["spam-assassin"], out, limit: 150 });
    const docs = readShards(out);
    expect(docs.length).toBe(report.documentsKept);
    expect(report.documentsIn).toBe(150);
    expect(report.piiReplaced.email).toBeGreaterThan(0);
    for (const d of docs) {
      expect(Object.keys(d).sort()).toEqual(["genre", "id", "metadata", "source", "split", "text", "year"]);
      const text = d.text as string;
      expect(text.match(EMAIL)?.[0] ?? null).toBeNull();
      expect(text.match(PHONE)?.[0] ?? null).toBeNull();
    }
    expect(shards.every((s) => /(train|val|test)-\d{5}\.jsonl$/.test(s))).toBe(true);
    const onDisk = JSON.parse(fs.readFileSync(path.join(out, "report.json"), "utf8"));
    expect(onDisk.removedByFilter).toEqual(report.removedByFilter);
    const removed = Object.values(report.removedByFilter).reduce((a, b) => a + b, 0);
    expect(removed + report.documentsKept).toBe(report.documentsIn);
    expect(JSON.stringify(onDisk.removedExamples)).not.toMatch(EMAIL);
    expect(fs.readdirSync(out).some((f) => f.includes(".tmp"))).toBe(false);
  });
  test("clean: the user's folder goes through the same pipeline", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmlab-clean-in-"));
    const para =
      "The committee met on Tuesday to review the budget and the plans for the new library. Members asked questions about the costs, and the chair answered that the work would start in the spring with the support of the town. Everyone agreed that the next meeting should be held in the hall.";
    fs.writeFileSync(
      path.join(dir, "notes.jsonl"),
      [para + " Call 555-123-4567.", para + " Call 555-123-4567!", "too short"]
        .map((t) => JSON.stringify({ text: t }))
        .join("\n"),
    );
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "llmlab-clean-out-"));
    const { report } = await cleanUserData({ input: dir, out });
    expect(report.documentsIn).toBe(3);
    expect(report.exactDuplicates).toBe(1);
    expect(report.removedByFilter.language + report.removedByFilter.gopher_word_count).toBe(1);
    expect(report.piiReplaced.phone).toBe(2);
    expect(readShards(out).map((d) => d.text)).toEqual([para + " Call [PHONE]."]);
  });
});
