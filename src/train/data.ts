// Text for training: plain text files, JSONL shards with a `text` field, State of the Union
// addresses by year, and the train/val split. (The character vocabulary is src/tokenize's CharVocab.)
import * as fs from "fs";
import * as path from "path";
import { sotuAddresses } from "../data/sources/sotu";

export interface TextSplit {
  train: string[]; // documents (shards) of the training split
  val: string[];
}

/** nanoGPT's split: the first `trainFraction` of the text trains, the rest validates. */
export function trainValSplit(text: string, trainFraction = 0.9): TextSplit {
  if (!(trainFraction > 0 && trainFraction < 1))
    throw new Error(`trainValSplit: trainFraction must be in (0, 1), got ${trainFraction}`);
  const cps = Array.from(text);
  const n = Math.floor(cps.length * trainFraction);
  return { train: [cps.slice(0, n).join("")], val: [cps.slice(n).join("")] };
}

export function readTextFile(file: string): string {
  if (!fs.existsSync(file)) throw new Error(`--text: file not found: ${file}`);
  const text = fs.readFileSync(file, "utf8");
  if (text.length === 0) throw new Error(`--text: ${file} is empty`);
  return text;
}

/**
 * Documents from every *.jsonl file under dir (one JSON object per line with a string
 * `text`). Files whose name contains "val" form the validation split and "test" files are
 * left out; without a val file the documents are split 90/10 by document order.
 */
export function readJsonlShards(dir: string, trainFraction = 0.9): TextSplit {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`--data: not a directory: ${dir}`);
  const files = listFiles(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .sort();
  if (files.length === 0) throw new Error(`--data: no .jsonl files under ${dir}`);
  const train: string[] = [];
  const val: string[] = [];
  for (const f of files) {
    const base = path.basename(f).toLowerCase();
    if (base.includes("test")) continue;
    const target = base.includes("val") ? val : train;
    fs.readFileSync(f, "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (line.trim() === "") return;
        let doc: unknown;
        try {
          doc = JSON.parse(line);
        } catch {
          throw new Error(`--data: ${f}:${i + 1} is not valid JSON`);
        }
        const text = (doc as { text?: unknown }).text;
        if (typeof text !== "string") throw new Error(`--data: ${f}:${i + 1} has no string "text" field`);
        if (text.length > 0) target.push(text);
      });
  }
  if (train.length === 0) throw new Error(`--data: no training documents under ${dir}`);
  if (val.length > 0) return { train, val };
  const n = Math.max(1, Math.floor(train.length * trainFraction));
  if (n >= train.length)
    throw new Error(`--data: need at least 2 documents (or a val file) to split, found ${train.length}`);
  return { train: train.slice(0, n), val: train.slice(n) };
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(p) : [p];
  });
}

/** UTF-8 bytes per token of a tokenized split, to turn nats/token into bits per byte. */
export function bytesPerToken(docs: string[], tokens: number): number {
  const bytes = docs.reduce((n, d) => n + Buffer.byteLength(d, "utf8"), 0);
  return bytes / tokens;
}

/** State of the Union addresses from fromYear to toYear, oldest first, joined as one text. */
export function sotuByYear(opts: { fromYear?: number; toYear?: number } = {}): string {
  const from = opts.fromYear ?? 1790;
  const to = opts.toYear ?? 2100;
  const docs = sotuAddresses().filter((d) => d.year >= from && d.year <= to);
  if (docs.length === 0) throw new Error(`sotuByYear: no addresses between ${from} and ${to}`);
  return docs.map((d) => d.text.trim()).join("\n\n");
}
