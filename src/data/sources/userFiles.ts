// The user's own data: a file or a folder (searched recursively) of .txt (one document
// per file), .jsonl (one JSON object per line with a text field) or .csv (header row, a
// text column). Streaming: one file is open at a time, and .jsonl/.csv are read record by
// record, so memory stays bounded by the largest single document.
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";
import Papa from "papaparse";
import { Doc, LoopOptions, throwIfAborted } from "../types";

export interface UserFilesOptions extends LoopOptions {
  textField?: string;
  source?: string;
  limit?: number;
}

function listFiles(p: string): string[] {
  if (!fs.existsSync(p))
    throw new Error(`--in ${p}: no such file or folder (expected a .txt/.jsonl/.csv file or a folder of them)`);
  if (fs.statSync(p).isFile()) return [p];
  return fs
    .readdirSync(p, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(p, e.name)) : [path.join(p, e.name)]))
    .filter((f) => /\.(txt|jsonl|csv)$/i.test(f));
}

function metaOf(rec: Record<string, unknown>, textField: string): Doc["metadata"] {
  const m: Doc["metadata"] = {};
  for (const [k, v] of Object.entries(rec))
    if (k !== textField && (v === null || ["string", "number", "boolean"].includes(typeof v)))
      m[k] = v as string | number | boolean | null;
  return m;
}

async function* csvRecords(file: string): AsyncGenerator<Record<string, unknown>> {
  const stream = fs
    .createReadStream(file, "utf8")
    .pipe(Papa.parse(Papa.NODE_STREAM_INPUT, { header: true, skipEmptyLines: true }));
  for await (const rec of stream) yield rec as Record<string, unknown>;
}

export async function* loadUserFiles(input: string, opts: UserFilesOptions = {}): AsyncGenerator<Doc> {
  const field = opts.textField ?? "text",
    source = opts.source ?? "user";
  const files = listFiles(input);
  if (files.length === 0) throw new Error(`--in ${input}: no .txt, .jsonl or .csv files found`);
  let n = 0;
  const base = fs.statSync(input).isFile() ? path.dirname(input) : input;
  for (const file of files) {
    const rel = path.relative(base, file);
    const ext = path.extname(file).toLowerCase();
    if (ext === ".txt") {
      throwIfAborted(opts.signal);
      if (n++ >= (opts.limit ?? Infinity)) return;
      yield {
        id: `${source}/${rel}`,
        source,
        genre: null,
        year: null,
        text: await fs.promises.readFile(file, "utf8"),
        metadata: { file: rel },
      };
      continue;
    }
    let line = 0;
    const records = ext === ".csv" ? csvRecords(file) : jsonlRecords(file);
    for await (const rec of records) {
      line++;
      throwIfAborted(opts.signal);
      const text = rec[field];
      if (typeof text !== "string")
        throw new Error(
          `${file}: record ${line} has no string field "${field}" (pass --text-field to name the text column)`,
        );
      if (n++ >= (opts.limit ?? Infinity)) return;
      const year =
        typeof rec.year === "number"
          ? rec.year
          : typeof rec.year === "string" && /^\d{4}$/.test(rec.year)
            ? parseInt(rec.year, 10)
            : null;
      yield {
        id: `${source}/${rel}#${line}`,
        source,
        genre: typeof rec.genre === "string" ? rec.genre : null,
        year,
        text,
        metadata: { file: rel, ...metaOf(rec, field) },
      };
    }
  }
}

async function* jsonlRecords(file: string): AsyncGenerator<Record<string, unknown>> {
  const rl = readline.createInterface({ input: fs.createReadStream(file, "utf8"), crlfDelay: Infinity });
  let line = 0;
  for await (const l of rl) {
    line++;
    if (!l.trim()) continue;
    let rec: unknown;
    try {
      rec = JSON.parse(l);
    } catch (e) {
      throw new Error(`${file}:${line}: not valid JSON (${(e as Error).message}); expected one JSON object per line`);
    }
    if (!rec || typeof rec !== "object" || Array.isArray(rec))
      throw new Error(`${file}:${line}: expected a JSON object with a text field`);
    yield rec as Record<string, unknown>;
  }
}
