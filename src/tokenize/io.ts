// Saving and loading any of our tokenizers as one JSON file.
import * as fs from "fs";
import { CharTokenizer, CharTokenizerJSON } from "./char";
import { gpt2Tokenizer } from "./gpt2";
import { fromHFTokenizerJSON } from "./hf";
import { Tokenizer } from "./types";
import { WordTokenizer, WordTokenizerJSON } from "./word";

/** Write tok.toJSON() to file atomically (temp file + rename): BPE as Hugging Face tokenizer.json. */
export function saveTokenizer(tok: Tokenizer, file: string): void {
  tok.save(file);
}

/** A tokenizer from parsed JSON: a tokenizer.json (BPE) or llmlab's char/word format. */
export function tokenizerFromJSON(json: unknown, source = "tokenizer JSON"): Tokenizer {
  if (typeof json !== "object" || json === null) throw new Error(`${source}: expected a JSON object`);
  const j = json as Record<string, unknown>;
  if ("model" in j) return fromHFTokenizerJSON(j);
  if (j.llmlab_tokenizer === 1 && j.type === "char") {
    const c = j as unknown as CharTokenizerJSON;
    return new CharTokenizer(c.chars, Object.keys(c.specialTokens));
  }
  if (j.llmlab_tokenizer === 1 && j.type === "word") {
    const w = j as unknown as WordTokenizerJSON;
    return new WordTokenizer(w.words, w.pattern, Object.keys(w.specialTokens));
  }
  throw new Error(
    `${source}: neither a Hugging Face tokenizer.json (has "model") nor an llmlab char/word tokenizer ({"llmlab_tokenizer": 1, "type": "char"|"word"})`,
  );
}

/** Load a tokenizer saved by saveTokenizer (or any byte-level BPE tokenizer.json). */
export function loadTokenizer(file: string): Tokenizer {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`tokenizer file ${file}: cannot read (${(err as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`tokenizer file ${file}: not JSON (${(err as Error).message})`);
  }
  return tokenizerFromJSON(json, `tokenizer file ${file}`);
}

/** A named encoding ("gpt2") or a tokenizer file. */
export function getTokenizer(opts: { encoding?: string; file?: string }): Tokenizer {
  if (opts.file) return loadTokenizer(opts.file);
  const name = opts.encoding ?? "gpt2";
  if (name === "gpt2" || name === "r50k_base") return gpt2Tokenizer();
  throw new Error(`encoding ${JSON.stringify(name)}: expected "gpt2" (or pass a tokenizer file)`);
}
