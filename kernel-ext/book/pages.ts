// The book's pages: one layout, the table of contents, the run summary.
import { WIDGET_STATE_MIME, escapeHtml, scriptJson } from "./outputs";
import { RunInfo } from "./run-info";
import { describeSize } from "../runner/size";

export interface ChapterEntry {
  /** The notebook's file name, e.g. 03-tokenisation.ipynb. */
  notebook: string;
  /** The page's file name, e.g. 03-tokenisation.html. */
  page: string;
  title: string;
  run: RunInfo;
}

export interface PageOptions {
  bookTitle: string;
  title: string;
  body: string;
  plotly?: boolean;
  /** The notebook's saved widget state (application/vnd.jupyter.widget-state+json): the page draws its widgets offline. */
  widgetState?: unknown;
  prev?: ChapterEntry;
  next?: ChapterEntry;
}

export function page(o: PageOptions): string {
  const link = (c: ChapterEntry | undefined, rel: string) =>
    c
      ? `<a rel="${rel}" href="${c.page}">${rel === "prev" ? "← " : ""}${escapeHtml(c.title)}${rel === "next" ? " →" : ""}</a>`
      : "<span></span>";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(o.title)} · ${escapeHtml(o.bookTitle)}</title>
<link rel="stylesheet" href="assets/katex/katex.min.css">
<link rel="stylesheet" href="assets/highlight.css">
<link rel="stylesheet" href="assets/book.css">
${o.plotly ? '<script src="assets/plotly.min.js"></script>\n' : ""}${o.widgetState ? '<script src="assets/widgets/embed.js"></script>\n' : ""}</head>
<body>
<header class="book"><a class="brand" href="index.html">${escapeHtml(o.bookTitle)}</a><a href="index.html">Contents</a><a href="run.html">Run summary</a></header>
<main>
${o.widgetState ? `<script type="${WIDGET_STATE_MIME}">${scriptJson(o.widgetState)}</script>\n` : ""}${o.body}
${o.prev || o.next ? `<nav class="pager">${link(o.prev, "prev")}${link(o.next, "next")}</nav>` : ""}
</main>
${o.plotly ? '<script src="assets/book.js"></script>\n' : ""}</body>
</html>
`;
}

const badge = (status: string): string =>
  `<span class="badge ${escapeHtml(status.replace(/\s+/g, "-"))}">${escapeHtml(status)}</span>`;
const seconds = (s: number | undefined): string => (s === undefined ? "–" : s < 100 ? s.toFixed(1) : s.toFixed(0));

export function indexBody(bookTitle: string, chapters: ChapterEntry[], intro: string): string {
  const items = chapters
    .map(
      (c) =>
        `<li><a href="${c.page}">${escapeHtml(c.title)}</a>${badge(c.run.status)} <small>${escapeHtml(c.notebook)}</small></li>`,
    )
    .join("\n");
  return `<h1>${escapeHtml(bookTitle)}</h1>\n${intro}\n<h2>Contents</h2>\n<ol class="toc">\n${items}\n</ol>\n<p><a href="run.html">Run summary</a>: which notebooks ran, how long each took, what they published.</p>`;
}

function metricsCell(m: Record<string, unknown>): string {
  const parts = Object.entries(m).map(([k, v]) => {
    const s = typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : JSON.stringify(v);
    return `${escapeHtml(k)} = ${escapeHtml(s.length > 60 ? `${s.slice(0, 59)}…` : s)}`;
  });
  return parts.join("<br>");
}

const SIZE_LABEL = { ci: "CI", full: "full", custom: "custom" } as const;

/** The line on top of every chapter: at which size its numbers were produced. */
export function sizeNote(run: RunInfo): string {
  if (!run.size)
    return `<p class="run-size">Size of this run: unknown (the notebook was not executed by llmlab's runner).</p>`;
  return `<p class="run-size ${run.size.kind}"><strong>Numbers on this page.</strong> ${escapeHtml(describeSize(run.size))}</p>`;
}

export function runBody(chapters: ChapterEntry[], source: string): string {
  const total = chapters.reduce((s, c) => s + (c.run.seconds ?? 0), 0);
  const ok = chapters.filter((c) => c.run.status === "ok").length;
  const rows = chapters
    .map(
      (c) =>
        `<tr><td><a href="${c.page}">${escapeHtml(c.notebook)}</a></td><td>${badge(c.run.status)}</td><td>${c.run.size ? SIZE_LABEL[c.run.size.kind] : "–"}</td><td>${seconds(c.run.seconds)}</td><td>${c.run.executed}/${c.run.cells}</td><td>${metricsCell(c.run.metrics)}${c.run.failure ? `<pre class="output-error">${escapeHtml(c.run.failure)}</pre>` : ""}</td></tr>`,
    )
    .join("\n");
  return `<h1>Run summary</h1>
<p>${ok} of ${chapters.length} notebooks ran without error, in ${seconds(total)} s of cell time. Source: ${escapeHtml(source)}.</p>
<table class="run"><thead><tr><th>notebook</th><th>status</th><th>size</th><th>seconds</th><th>cells run</th><th>metrics / failure</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
}
