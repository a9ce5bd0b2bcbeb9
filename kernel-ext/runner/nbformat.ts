// nbformat 4.5 documents: the types we use, reading, and writing them byte-for-byte as
// Jupyter's `nbformat.write` does (sorted keys, indent 1, multi-line strings split into
// lists of lines, trailing newline), so executed notebooks diff cleanly against Jupyter's.
import { randomBytes } from "crypto";
import { readFileSync, renameSync, writeFileSync, unlinkSync } from "fs";
import { dirname, basename, join } from "path";

export type MultilineString = string | string[];
export type MimeBundle = Record<string, unknown>;

export interface StreamOutput {
  output_type: "stream";
  name: "stdout" | "stderr";
  text: MultilineString;
}
export interface DisplayDataOutput {
  output_type: "display_data";
  data: MimeBundle;
  metadata: Record<string, unknown>;
}
export interface ExecuteResultOutput {
  output_type: "execute_result";
  execution_count: number | null;
  data: MimeBundle;
  metadata: Record<string, unknown>;
}
export interface ErrorOutput {
  output_type: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}
export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

export interface CellMetadata extends Record<string, unknown> {
  tags?: string[];
}
export interface CodeCell {
  id: string;
  cell_type: "code";
  metadata: CellMetadata;
  source: MultilineString;
  execution_count: number | null;
  outputs: Output[];
}
export interface TextCell {
  id: string;
  cell_type: "markdown" | "raw";
  metadata: CellMetadata;
  source: MultilineString;
  attachments?: Record<string, MimeBundle>;
}
export type Cell = CodeCell | TextCell;

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: Cell[];
}

/** A cell id as nbformat 4.5 generates them (8 hex chars; the schema allows [a-zA-Z0-9-_]{1,64}). */
export function newCellId(): string {
  return randomBytes(4).toString("hex");
}

export function joinSource(s: MultilineString): string {
  return Array.isArray(s) ? s.join("") : s;
}

export function cellTags(cell: Cell): string[] {
  const tags = cell.metadata.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === "string") : [];
}

/** Reads a notebook, joining split lines back into strings (nbformat's rejoin_lines). */
export function readNotebook(path: string): Notebook {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(
      `${path}: cannot read the notebook (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: not a JSON notebook (${(err as Error).message})`);
  }
  const nb = raw as Notebook;
  if (typeof nb !== "object" || nb === null || !Array.isArray(nb.cells) || nb.nbformat !== 4) {
    throw new Error(`${path}: expected an nbformat 4 notebook (an object with nbformat: 4 and a cells array)`);
  }
  for (const cell of nb.cells) {
    cell.source = joinSource(cell.source ?? "");
    cell.metadata ??= {};
    if (cell.cell_type === "code") {
      cell.outputs ??= [];
      for (const out of cell.outputs) {
        if (out.output_type === "stream") out.text = joinSource(out.text);
        else if (out.output_type === "display_data" || out.output_type === "execute_result") rejoinBundle(out.data);
      }
    }
  }
  return nb;
}

function isJsonMime(mime: string): boolean {
  return mime === "application/json" || (mime.startsWith("application/") && mime.endsWith("+json"));
}

function rejoinBundle(data: MimeBundle): void {
  for (const [k, v] of Object.entries(data)) {
    if (!isJsonMime(k) && Array.isArray(v) && v.every((l) => typeof l === "string")) data[k] = v.join("");
  }
}

// A line and its end, as Python's str.splitlines sees them.
// eslint-disable-next-line no-control-regex -- \x1c-\x1e are line separators to Python
const PYTHON_LINE = /[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]*(?:\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]|$)/g;

/** Python's str.splitlines(keepends=True), which nbformat uses to split text for files. */
export function splitLines(s: string): string[] {
  const lines = s.match(PYTHON_LINE) ?? [];
  return lines.filter((l) => l.length > 0);
}

function splitBundle(data: MimeBundle): MimeBundle {
  const out: MimeBundle = {};
  for (const [k, v] of Object.entries(data)) {
    const split =
      typeof v === "string" && (k.startsWith("text/") || k === "application/javascript" || k === "image/svg+xml");
    out[k] = split ? splitLines(v) : v;
  }
  return out;
}

/** Deep copy with keys sorted, as Python's json.dumps(sort_keys=True). */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) o[k] = sortKeys((v as Record<string, unknown>)[k]);
    return o;
  }
  return v;
}

export function serializeNotebook(nb: Notebook): string {
  const cells = nb.cells.map((cell) => {
    const { trusted: _trusted, ...metadata } = cell.metadata; // transient, never stored (nbformat's strip_transient)
    const c: Record<string, unknown> = { ...cell, metadata, source: splitLines(joinSource(cell.source)) };
    if (cell.cell_type === "code") {
      c.outputs = cell.outputs.map((o) => {
        if (o.output_type === "stream") return { ...o, text: splitLines(joinSource(o.text)) };
        if (o.output_type === "display_data" || o.output_type === "execute_result")
          return { ...o, data: splitBundle(o.data) };
        return o;
      });
    }
    return c;
  });
  return JSON.stringify(sortKeys({ ...nb, cells }), null, 1) + "\n";
}

/** Writes atomically: a temp file beside the target, then rename. */
export function writeNotebook(path: string, nb: Notebook): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(3).toString("hex")}.tmp`);
  try {
    writeFileSync(tmp, serializeNotebook(nb));
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // the temp file was never created
    }
    throw err;
  }
}
