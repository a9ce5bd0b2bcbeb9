// GPT-2's published tokenizer (tiktoken's "gpt2" = r50k_base: 50,256 merges + <|endoftext|>),
// loaded from the vocabulary js-tiktoken ships, so nothing is downloaded.
import { BPETokenizer } from "./bpe";
import { GPT2_SPLIT_PATTERN, GPT4_SPLIT_PATTERN } from "./patterns";

/** js-tiktoken's rank file: lines "<tag> <first rank> <base64 token> <base64 token> ...". */
interface TiktokenRanks {
  pat_str: string;
  special_tokens: Record<string, number>;
  bpe_ranks: string;
}

/** Parse a js-tiktoken rank file into id -> bytes. */
export function parseTiktokenRanks(ranks: TiktokenRanks): Uint8Array[] {
  const tokens: Uint8Array[] = [];
  for (const line of ranks.bpe_ranks.split("\n")) {
    if (!line) continue;
    const fields = line.split(" ");
    const first = Number.parseInt(fields[1], 10);
    if (!Number.isInteger(first))
      throw new Error(`tiktoken ranks: bad line start ${JSON.stringify(line.slice(0, 40))}`);
    for (let k = 2; k < fields.length; k++) tokens[first + k - 2] = new Uint8Array(Buffer.from(fields[k], "base64"));
  }
  return tokens;
}

function loadRanks(name: "gpt2" | "cl100k_base"): TiktokenRanks {
  // js-tiktoken exposes its ranks only through package "exports" subpaths, which this
  // project's TypeScript resolution (node10) cannot type; Node's require resolves them.
  return require(`js-tiktoken/ranks/${name}`) as TiktokenRanks;
}

let gpt2: BPETokenizer | undefined;

/** GPT-2's tokenizer, id for id equal to tiktoken / js-tiktoken / gpt-tokenizer (built once, ~0.3 s). */
export function gpt2Tokenizer(): BPETokenizer {
  if (gpt2) return gpt2;
  const ranks = loadRanks("gpt2");
  if (ranks.pat_str !== GPT2_SPLIT_PATTERN)
    throw new Error(`js-tiktoken's gpt2 split pattern differs from ours: ${ranks.pat_str}`);
  gpt2 = BPETokenizer.fromRanks({
    tokens: parseTiktokenRanks(ranks),
    pattern: GPT2_SPLIT_PATTERN,
    specialTokens: ranks.special_tokens,
  });
  return gpt2;
}

/** GPT-4's cl100k_base with our JavaScript rewrite of its split pattern (tests check the rewrite). */
export function cl100kTokenizer(): BPETokenizer {
  const ranks = loadRanks("cl100k_base");
  return BPETokenizer.fromRanks({
    tokens: parseTiktokenRanks(ranks),
    pattern: GPT4_SPLIT_PATTERN,
    specialTokens: ranks.special_tokens,
  });
}
