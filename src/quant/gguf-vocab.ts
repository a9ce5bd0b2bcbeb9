// The tokenizer half of a GGUF file, written so that llama.cpp's own tokenizer gives our ids.
// llama.cpp's "gpt2" tokenizer model is byte-level BPE (llama-vocab.cpp): it splits text with
// the regex its tokenizer.ggml.pre names, maps every byte to GPT-2's printable alphabet
// ("Ġ" for a space), starts from one symbol per byte and applies tokenizer.ggml.merges by rank.
// Intermediate symbols need not be tokens; only the final pieces are looked up.
//  - Character vocabulary: each character's UTF-8 bytes in that alphabet, and for characters
//    of several bytes the merges that glue their bytes (and nothing else) together, so every
//    character comes out as its one token whatever the pre-split does.
//  - Byte-level BPE (tokenizer.json from `llmlab tokenizer train`): its tokens and merges as
//    they are, special tokens as control tokens, <|endoftext|> as EOS.
import { bytesToByteLevel, byteLevelToBytes, utf8Decode, utf8Encode } from "../tokenize/bytes";
import { GPT2_SPLIT_PATTERN, GPT4_SPLIT_PATTERN } from "../tokenize/patterns";
import { HFTokenizerJSON, bpeTokenizerJSON, preTokenizerFor, specialToken } from "../tokenize/hf";
import type { BPETokenizer } from "../tokenize/bpe";

/** llama_token_type (llama.cpp): what tokenizer.ggml.token_type holds per token. */
export const TOKEN_TYPE = { normal: 1, control: 3 } as const;

export interface GGUFTokenizer {
  /** tokenizer.ggml.model: "gpt2" is llama.cpp's byte-level BPE. */
  model: string;
  /** tokenizer.ggml.pre: the pre-split regex llama.cpp applies ("gpt-2", ...). */
  pre?: string;
  tokens: string[];
  tokenTypes?: number[];
  merges?: string[];
  bosTokenId?: number;
  eosTokenId?: number;
  /** Written as tokenizer.ggml.add_bos_token; our models never saw a BOS, so false. */
  addBos?: boolean;
  /** llmlab.vocab_kind: how to rebuild our tokenizer from the file (generate --gguf). */
  kind?: "char" | "bpe";
}

/**
 * llama.cpp pre-tokenizer names for our split patterns. "gpt-2" is GPT-2's regex. For GPT-4's
 * (cl100k) regex llama.cpp's natural name, "llama-bpe", also switches on ignore_merges (take a
 * whole pre-split chunk if it is a token), which is not plain BPE; "dbrx" selects the same
 * regex with plain merges (DBRX used cl100k).
 */
const PRE_FOR_PATTERN: Record<string, string> = { [GPT2_SPLIT_PATTERN]: "gpt-2", [GPT4_SPLIT_PATTERN]: "dbrx" };
export const PATTERN_FOR_PRE: Record<string, string> = { "gpt-2": GPT2_SPLIT_PATTERN, dbrx: GPT4_SPLIT_PATTERN };

/** A character vocabulary (ids = positions in `chars`) as a byte-level BPE vocabulary. */
export function charVocabTokenizer(chars: string[]): GGUFTokenizer {
  const tokens: string[] = [];
  const merges: string[] = [];
  const seen = new Map<string, number>();
  chars.forEach((c, id) => {
    if ([...c].length !== 1)
      throw new Error(`char vocabulary: entry ${id} (${JSON.stringify(c)}) is not one character`);
    const bytes = utf8Encode(c);
    const t = bytesToByteLevel(bytes);
    if (seen.has(t)) throw new Error(`char vocabulary: entries ${seen.get(t)} and ${id} are the same character`);
    seen.set(t, id);
    tokens.push(t);
    // Left to right: (b0 b1), (b0b1 b2), ... Each merge joins two bytes of one character, so no
    // merge can fire across characters.
    for (let k = 1; k < bytes.length; k++)
      merges.push(`${bytesToByteLevel(bytes.subarray(0, k))} ${bytesToByteLevel(bytes.subarray(k, k + 1))}`);
  });
  return {
    model: "gpt2",
    pre: "gpt-2",
    tokens,
    tokenTypes: tokens.map(() => TOKEN_TYPE.normal),
    merges,
    addBos: false,
    kind: "char",
  };
}

/** The characters of a char vocabulary written by charVocabTokenizer. */
export function charsFromTokens(tokens: string[]): string[] {
  return tokens.map((t) => utf8Decode(byteLevelToBytes(t)));
}

/** A byte-level BPE tokenizer (ours, e.g. from `llmlab tokenizer train`) as GGUF tokenizer metadata. */
export function bpeVocabTokenizer(tok: BPETokenizer): GGUFTokenizer {
  const size = tok.vocabSize;
  const tokens: (string | undefined)[] = new Array(size);
  const types: number[] = new Array(size).fill(TOKEN_TYPE.normal);
  tok.tokens.forEach((b, id) => {
    if (b) tokens[id] = bytesToByteLevel(b);
  });
  for (const [s, id] of Object.entries(tok.specialTokens)) {
    tokens[id] = s;
    types[id] = TOKEN_TYPE.control;
  }
  const hole = tokens.findIndex((t) => t === undefined);
  if (hole >= 0)
    throw new Error(
      `BPE tokenizer: id ${hole} is neither a token nor a special token; GGUF needs every id from 0 to ${size - 1}`,
    );
  const pre = PRE_FOR_PATTERN[tok.pattern];
  if (!pre)
    throw new Error(
      `BPE tokenizer: its split pattern has no llama.cpp pre-tokenizer (GPT-2's and GPT-4's have): ${tok.pattern}`,
    );
  const text = (id: number): string => bytesToByteLevel(tok.tokens[id]!);
  const merges = tok.getMerges().map(([a, b]) => `${text(a)} ${text(b)}`);
  const eos = tok.specialTokens["<|endoftext|>"];
  return {
    model: "gpt2",
    pre,
    tokens: tokens as string[],
    tokenTypes: types,
    merges,
    eosTokenId: eos,
    addBos: false,
    kind: "bpe",
  };
}

/** Rebuild a tokenizer.json from GGUF tokenizer metadata written by bpeVocabTokenizer. */
export function hfJSONFromGGUFTokens(
  tokens: string[],
  types: number[],
  merges: string[],
  pre: string,
): HFTokenizerJSON {
  const pattern = PATTERN_FOR_PRE[pre];
  if (!pattern)
    throw new Error(`GGUF tokenizer.ggml.pre "${pre}": expected one of ${Object.keys(PATTERN_FOR_PRE).join(", ")}`);
  const vocab: Record<string, number> = {};
  const added: HFTokenizerJSON["added_tokens"] = [];
  tokens.forEach((t, id) => {
    if (types[id] === TOKEN_TYPE.control) added.push(specialToken(id, t));
    else vocab[t] = id;
  });
  return bpeTokenizerJSON({
    vocab,
    merges,
    added_tokens: added,
    pre_tokenizer: preTokenizerFor(pattern),
  }) as HFTokenizerJSON;
}
