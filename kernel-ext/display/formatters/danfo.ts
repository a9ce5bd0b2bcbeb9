// danfojs DataFrame and Series as pandas shows them in Jupyter: an HTML table (class
// "dataframe") and aligned text, both cut to head and tail rows for large frames.
// Recognised by shape, not instanceof: danfojs-node is heavy to load and notebooks may
// hold objects from another copy of it.
import type { DisplayBundle, Formatter } from "../types";
import { escapeHtml, formatCell } from "../html";

export interface TableLimits {
  /** Frames with more rows show the first `head` and last `tail` rows. */
  maxRows: number;
  head: number;
  tail: number;
  /** Frames with more columns show the first and last maxColumns/2. */
  maxColumns: number;
}
export const DEFAULT_LIMITS: TableLimits = { maxRows: 20, head: 10, tail: 5, maxColumns: 20 };

interface FrameLike {
  columns: string[];
  index: (string | number)[];
  values: unknown[];
  dtypes: string[];
  shape: number[];
}

function looksLike(v: unknown, ctor: string): v is FrameLike {
  if (typeof v !== "object" || v === null || (v as object).constructor?.name !== ctor) return false;
  const f = v as Partial<FrameLike>;
  return Array.isArray(f.columns) && Array.isArray(f.index) && Array.isArray(f.values) && Array.isArray(f.dtypes);
}
export const isDataFrame = (v: unknown): v is FrameLike => looksLike(v, "DataFrame");
export const isSeries = (v: unknown): v is FrameLike => looksLike(v, "Series");

/** Row positions to show; -1 marks the elided gap. */
function rowPlan(n: number, lim: TableLimits): number[] {
  if (n <= lim.maxRows) return [...Array(n).keys()];
  return [...Array(lim.head).keys(), -1, ...Array.from({ length: lim.tail }, (_, i) => n - lim.tail + i)];
}
function colPlan(n: number, lim: TableLimits): number[] {
  if (n <= lim.maxColumns) return [...Array(n).keys()];
  const half = Math.floor(lim.maxColumns / 2);
  return [...Array(half).keys(), -1, ...Array.from({ length: half }, (_, i) => n - half + i)];
}

interface Grid {
  header: string[];
  rows: { index: string; cells: string[] }[];
  note: string;
}

function grid(
  columns: string[],
  index: (string | number)[],
  cell: (r: number, c: number) => unknown,
  lim: TableLimits,
): Grid {
  const rows = rowPlan(index.length, lim);
  const cols = colPlan(columns.length, lim);
  const cut = rows.includes(-1) || cols.includes(-1);
  return {
    header: cols.map((c) => (c < 0 ? "…" : columns[c])),
    rows: rows.map((r) => ({
      index: r < 0 ? "…" : String(index[r]),
      cells: cols.map((c) => (r < 0 || c < 0 ? "…" : formatCell(cell(r, c)))),
    })),
    note: `${index.length} rows × ${columns.length} columns${cut ? " (truncated)" : ""}`,
  };
}

function html(g: Grid): string {
  const th = (s: string) => `<th>${escapeHtml(s)}</th>`;
  const body = g.rows
    .map((r) => `<tr>${th(r.index)}${r.cells.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`)
    .join("\n");
  return [
    "<div>",
    '<table border="1" class="dataframe">',
    `<thead><tr style="text-align: right;"><th></th>${g.header.map(th).join("")}</tr></thead>`,
    `<tbody>\n${body}\n</tbody>`,
    "</table>",
    `<p>${escapeHtml(g.note)}</p>`,
    "</div>",
  ].join("\n");
}

function text(g: Grid): string {
  const table = [["", ...g.header], ...g.rows.map((r) => [r.index, ...r.cells])];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const lines = table.map((row) =>
    row
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join("  ")
      .trimEnd(),
  );
  return `${lines.join("\n")}\n\n[${g.note}]`;
}

export function formatDataFrame(df: FrameLike, lim: TableLimits = DEFAULT_LIMITS): DisplayBundle {
  const rows = df.values as unknown[][];
  const g = grid(df.columns, df.index, (r, c) => rows[r][c], lim);
  return { data: { "text/html": html(g), "text/plain": text(g) }, metadata: {} };
}

export function formatSeries(s: FrameLike, lim: TableLimits = DEFAULT_LIMITS): DisplayBundle {
  const name = s.columns[0] ?? "";
  const g = grid([name], s.index, (r) => s.values[r], lim);
  g.note = `${s.index.length} values, dtype ${s.dtypes[0]}${g.rows.some((r) => r.index === "…") ? " (truncated)" : ""}`;
  return { data: { "text/html": html(g), "text/plain": text(g) }, metadata: {} };
}

export const danfoFormatter: Formatter = (v) =>
  isDataFrame(v) ? formatDataFrame(v) : isSeries(v) ? formatSeries(v) : undefined;
