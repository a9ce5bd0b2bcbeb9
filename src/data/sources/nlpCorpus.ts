// nlp-corpus (Spencer Kelly): 100 files builds/doc-N.json, each an array of 1,000 shuffled
// sentences from web/social sources (SMS, lyrics, reddit, reviews, Enron mail...). The
// sentences are unrelated, so a "document" here is a fixed run of consecutive sentences
// from one file: long enough for the Gopher word-count rule to be meaningful.
import * as fs from "node:fs";
import * as path from "node:path";
import { Doc, LoopOptions, throwIfAborted } from "../types";

export function nlpCorpusFiles(root: string): string[] {
  return fs
    .readdirSync(path.join(root, "builds"))
    .filter((f) => /^doc-\d+\.json$/.test(f))
    .sort((a, b) => parseInt(a.slice(4), 10) - parseInt(b.slice(4), 10))
    .map((f) => `builds/${f}`);
}

export async function* loadNlpCorpus(
  root: string,
  opts: LoopOptions & { limit?: number; sentencesPerDoc?: number } = {},
): AsyncGenerator<Doc> {
  const per = opts.sentencesPerDoc ?? 10;
  let n = 0;
  for (const f of nlpCorpusFiles(root)) {
    const sentences = JSON.parse(await fs.promises.readFile(path.join(root, f), "utf8")) as unknown;
    if (!Array.isArray(sentences)) throw new Error(`nlp-corpus: ${f} should hold a JSON array of sentences`);
    for (let i = 0; i < sentences.length; i += per) {
      throwIfAborted(opts.signal);
      if (n++ >= (opts.limit ?? Infinity)) return;
      const chunk = sentences.slice(i, i + per).filter((s): s is string => typeof s === "string");
      yield {
        id: `nlp-corpus/${path.basename(f, ".json")}/${i / per}`,
        source: "nlp-corpus",
        genre: "web-mixed",
        year: null,
        text: chunk.join("\n"),
        metadata: { file: f, firstSentence: i },
      };
    }
  }
}
