// Hugging Face tokenizer.json (the `tokenizers` library's format) for byte-level BPE, so our
// tokenizers open in transformers / tokenizers / transformers.js, and theirs open here.
// Structure (huggingface/tokenizers, tokenizer.json): top level
//   {version, truncation, padding, added_tokens[], normalizer, pre_tokenizer, post_processor, decoder, model}
// model = {type: "BPE", vocab: {token: id}, merges: ["left right", ...] | [[left, right], ...], ...}
// with tokens written in GPT-2's byte-level alphabet ("Ġ" = space byte).
import { BPETokenizer } from "./bpe";
import { bytesToByteLevel, byteLevelToBytes } from "./bytes";
import { GPT2_SPLIT_PATTERN } from "./patterns";

export interface HFAddedToken {
  id: number;
  content: string;
  single_word: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

export interface HFPreTokenizer {
  type: string;
  add_prefix_space?: boolean;
  trim_offsets?: boolean;
  use_regex?: boolean;
  pattern?: { Regex?: string; String?: string };
  behavior?: string;
  invert?: boolean;
  pretokenizers?: HFPreTokenizer[];
}

export interface HFTokenizerJSON {
  version: string;
  truncation: null;
  padding: null;
  added_tokens: HFAddedToken[];
  normalizer: null;
  pre_tokenizer: HFPreTokenizer;
  post_processor: null;
  decoder: { type: "ByteLevel"; add_prefix_space: boolean; trim_offsets: boolean; use_regex: boolean };
  model: {
    type: "BPE";
    dropout: null;
    unk_token: null;
    continuing_subword_prefix: null;
    end_of_word_suffix: null;
    fuse_unk: boolean;
    byte_fallback: boolean;
    ignore_merges: boolean;
    vocab: Record<string, number>;
    merges: string[];
  };
}

/**
 * tokenizer.json regexes are Oniguruma (Ruby syntax), where `$` means end of *line*; in our
 * JavaScript patterns (no m flag) it means end of input, Oniguruma's `\z`. So GPT-4's `\s+$`
 * must be written `\s+\z`, or "a\n\nb" splits differently elsewhere. (Remaining difference,
 * not translated: JavaScript's \s also matches U+FEFF and not U+0085.)
 */
function translateAnchors(p: string, map: (token: string) => string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === "\\") {
      out += map(p.slice(i, i + 2));
      i++;
    } else if (inClass) {
      if (c === "]") inClass = false;
      out += c;
    } else if (c === "[") {
      inClass = true;
      out += c;
    } else out += map(c);
  }
  return out;
}

export const jsToOniguruma = (p: string): string => translateAnchors(p, (t) => (t === "$" ? "\\z" : t));
export const onigurumaToJs = (p: string): string =>
  translateAnchors(p, (t) => (t === "\\z" ? "$" : t === "$" ? "(?![^\\n])" : t));

const byteLevel = (useRegex: boolean): HFPreTokenizer => ({
  type: "ByteLevel",
  add_prefix_space: false,
  trim_offsets: true,
  use_regex: useRegex,
});

/** A special token as tokenizer.json lists it (never split, never normalised). */
export const specialToken = (id: number, content: string): HFAddedToken => ({
  id,
  content,
  single_word: false,
  lstrip: false,
  rstrip: false,
  normalized: false,
  special: true,
});

/** GPT-2's split is ByteLevel's own regex; any other pattern becomes Split(Regex, Isolated) then
 *  ByteLevel without regex (as Llama 3 files do). */
export function preTokenizerFor(pattern: string): HFPreTokenizer {
  if (pattern === GPT2_SPLIT_PATTERN) return byteLevel(true);
  return {
    type: "Sequence",
    pretokenizers: [
      { type: "Split", pattern: { Regex: jsToOniguruma(pattern) }, behavior: "Isolated", invert: false },
      byteLevel(false),
    ],
  };
}

/** The one tokenizer.json shape we write: a BPE model with the given vocabulary and merges. */
export function bpeTokenizerJSON<D extends object = HFTokenizerJSON["decoder"]>(p: {
  vocab: Record<string, number>;
  merges: string[];
  added_tokens: HFAddedToken[];
  pre_tokenizer: HFPreTokenizer | null;
  decoder?: D;
}): Omit<HFTokenizerJSON, "decoder" | "pre_tokenizer"> & { decoder: D; pre_tokenizer: HFPreTokenizer | null } {
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: p.added_tokens,
    normalizer: null,
    pre_tokenizer: p.pre_tokenizer,
    post_processor: null,
    decoder: p.decoder ?? ({ type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true } as D),
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: p.vocab,
      merges: p.merges,
    },
  };
}

/** Our BPE tokenizer as tokenizer.json. GPT-2's split is ByteLevel's own regex; any other
 *  pattern becomes Split(Regex, Isolated) then ByteLevel without regex (as Llama 3 files do). */
export function toHFTokenizerJSON(tok: BPETokenizer): HFTokenizerJSON {
  const vocab: Record<string, number> = {};
  tok.tokens.forEach((b, id) => {
    if (!b) return;
    const s = bytesToByteLevel(b);
    if (s in vocab)
      throw new Error(`tokenizer.json: tokens ${vocab[s]} and ${id} have the same bytes; a vocab map cannot hold both`);
    vocab[s] = id;
  });
  const text = (id: number): string => bytesToByteLevel(tok.tokens[id]!);
  // "left right" strings: the classic form every reader accepts (byte-level tokens never hold a space).
  const merges = tok.getMerges().map(([a, b]) => `${text(a)} ${text(b)}`);
  const added_tokens = Object.entries(tok.specialTokens)
    .sort((x, y) => x[1] - y[1])
    .map(([content, id]) => specialToken(id, content));
  return bpeTokenizerJSON({
    vocab,
    merges,
    added_tokens,
    pre_tokenizer: preTokenizerFor(tok.pattern),
  }) as HFTokenizerJSON;
}

function fail(what: string, expected: string): never {
  throw new Error(`tokenizer.json: ${what}; expected ${expected}`);
}

/** The split pattern a pre_tokenizer applies before its byte-level mapping. */
function splitPattern(pre: HFPreTokenizer | null | undefined): string {
  if (!pre) fail("pre_tokenizer is missing", "a ByteLevel pre-tokenizer (byte-level BPE)");
  if (pre.type === "ByteLevel") {
    if (pre.add_prefix_space)
      fail("ByteLevel.add_prefix_space is true", "false (a leading space would change the text)");
    if (pre.use_regex === false)
      fail("a ByteLevel pre-tokenizer without regex and without a Split before it", "use_regex: true");
    return GPT2_SPLIT_PATTERN;
  }
  const parts = pre.type === "Sequence" ? (pre.pretokenizers ?? []) : [];
  if (
    parts.length === 2 &&
    parts[0].type === "Split" &&
    parts[0].pattern?.Regex !== undefined &&
    parts[0].behavior === "Isolated" &&
    !parts[0].invert &&
    parts[1].type === "ByteLevel" &&
    parts[1].use_regex === false &&
    !parts[1].add_prefix_space
  ) {
    return onigurumaToJs(parts[0].pattern.Regex);
  }
  fail(
    `pre_tokenizer of type ${JSON.stringify(pre.type)} is not supported`,
    "ByteLevel, or Sequence[Split(Regex, Isolated), ByteLevel(use_regex: false)]",
  );
}

/** A tokenizer.json (parsed) as our BPE tokenizer, with the file's merge semantics. */
export function fromHFTokenizerJSON(json: unknown): BPETokenizer {
  const j = json as Partial<HFTokenizerJSON>;
  if (typeof j !== "object" || j === null || typeof j.model !== "object" || j.model === null)
    fail("no model object", '{model: {type: "BPE", vocab, merges}}');
  const model = j.model as Partial<HFTokenizerJSON["model"]> & { merges?: Array<string | [string, string]> };
  if (model.type !== "BPE") fail(`model.type is ${JSON.stringify(model.type)}`, '"BPE"');
  if (typeof model.vocab !== "object" || model.vocab === null || !Array.isArray(model.merges))
    fail("model.vocab or model.merges is missing", "vocab: {token: id} and merges: [...]");
  if (model.continuing_subword_prefix || model.end_of_word_suffix)
    fail("subword prefix/suffix markers are set", "a byte-level BPE without them");
  const pattern = splitPattern(j.pre_tokenizer);
  const specialTokens: Record<string, number> = {};
  for (const t of j.added_tokens ?? []) specialTokens[t.content] = t.id;
  const specialIds = new Set(Object.values(specialTokens));
  const tokens: Uint8Array[] = [];
  const idOf = new Map<string, number>();
  for (const [s, id] of Object.entries(model.vocab)) {
    if (!Number.isInteger(id) || id < 0) fail(`vocab[${JSON.stringify(s)}] = ${id}`, "a non-negative integer id");
    idOf.set(s, id);
    if (specialIds.has(id)) continue; // e.g. GPT-2's "<|endoftext|>" sits in vocab and added_tokens
    tokens[id] = byteLevelToBytes(s);
  }
  const merges = model.merges.map((m, i): [number, number] => {
    const [l, r] = typeof m === "string" ? m.split(" ") : m;
    const a = idOf.get(l);
    const b = idOf.get(r);
    if (a === undefined || b === undefined)
      fail(`merges[${i}] = ${JSON.stringify(m)} names a token not in vocab`, "two vocab tokens");
    return [a, b];
  });
  return BPETokenizer.fromMerges({ tokens, merges, pattern, specialTokens });
}
