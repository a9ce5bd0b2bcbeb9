// The split patterns: our GPT-2 scanner equals the GPT-2 regex, and our JavaScript rewrite of
// GPT-4's cl100k pattern splits like the reference packages' cl100k regexes.
import { Tiktoken } from "js-tiktoken/lite";
import { decode as clDecode, encode as clEncode } from "gpt-tokenizer/cjs/encoding/cl100k_base";
import { CL100K_TOKEN_SPLIT_REGEX } from "gpt-tokenizer/cjs/encodingParams/constants";
import { courseCorpusSample } from "./corpus";
import { cl100kTokenizer } from "./gpt2";
import { GPT2_SPLIT_PATTERN, GPT4_SPLIT_PATTERN, splitText } from "./patterns";
import { gpt2Chunks, gpt4Chunks } from "./pretokenize";
const cl100kRanks = require("js-tiktoken/ranks/cl100k_base") as {
  pat_str: string;
  special_tokens: Record<string, number>;
  bpe_ranks: string;
};
const jsTiktokenCl100k = cl100kRanks.pat_str;
const corpus = courseCorpusSample(15_000);
const EDGE = [
  "I'M you're THEY'LL it'S 's 'x '' ''s",
  "abc   \n\n  def  \n",
  "trailing spaces   ",
  "\n\n\nfoo\r\n\r\nbar\t \tbaz",
  "12345 1234567 3.14 ١٢٣٤ Ⅻ",
  "  ...!!! ?? foo!!!\n\n",
  "中文 😀😀 naïve\u00a0x\u2028y\ufeffz",
];

describe.each([
  ["GPT-2", gpt2Chunks, GPT2_SPLIT_PATTERN],
  ["GPT-4", gpt4Chunks, GPT4_SPLIT_PATTERN],
] as const)("%s split: the hand-written scanner", (_name, scan, pattern) => {
  it.each([["corpus", corpus], ...EDGE.map((s) => [JSON.stringify(s), s])])("equals the regex on %s", (_n, text) => {
    expect(scan(text)).toEqual(splitText(text, pattern));
  });
  it("equals the regex on random strings of tricky characters", () => {
    let seed = 11;
    const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    // Letters, digits (astral too), each whitespace kind, contraction letters, BOM, NEL, lone surrogates.
    const alphabet = [
      ..."aZ9 \t\n\r'sSdDmMtTlLrReEvV.,!-(ßé€中😀𝒜𝟘\u00a0\u3000\u2028٣Ⅳ\ufeff\u0085",
      "\ud800",
      "\udc00",
    ];
    for (let trial = 0; trial < 3000; trial++) {
      let s = "";
      for (let len = Math.floor(rand() * 16); len > 0; len--) s += alphabet[Math.floor(rand() * alphabet.length)];
      expect([s, scan(s)]).toEqual([s, splitText(s, pattern)]);
    }
  });
});

describe("GPT-4 (cl100k) split rewritten for JavaScript", () => {
  const references: Array<[string, RegExp]> = [
    ["gpt-tokenizer", new RegExp(CL100K_TOKEN_SPLIT_REGEX.source, "gu")],
    ["js-tiktoken", new RegExp(jsTiktokenCl100k, "gu")],
  ];
  it("is needed: tiktoken's original pattern is not a JavaScript regex, ours is", () => {
    const original = String.raw`'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s`;
    expect(() => new RegExp(original, "u")).toThrow();
    expect(() => new RegExp(GPT4_SPLIT_PATTERN, "u")).not.toThrow();
  });
  it.each(references)("splits the corpus sample like %s", (_name, re) => {
    expect(splitText(corpus, GPT4_SPLIT_PATTERN)).toEqual(corpus.match(re));
  });
  it("splits the edge cases like gpt-tokenizer (tiktoken's current pattern)", () => {
    for (const s of EDGE) expect(splitText(s, GPT4_SPLIT_PATTERN)).toEqual(s.match(references[0][1]));
  });
  it("encodes with cl100k's ranks id for id like js-tiktoken (and gpt-tokenizer away from BOMs)", () => {
    const cl100k = cl100kTokenizer();
    const text = corpus.slice(0, 20_000) + EDGE.join(" ");
    const ids = cl100k.encode(text);
    expect(ids).toEqual(new Tiktoken(cl100kRanks).encode(text, [], []));
    expect(cl100k.decode(ids)).toBe(text);
    // gpt-tokenizer 3.4.0 drops a leading U+FEFF when it keys tokens by decoded text, so its
    // cl100k ids differ right after a BOM ("\uFEFFThe"); compare it on text without one.
    const noBom = text.replace(/\uFEFF/g, "");
    expect(cl100k.encode(noBom)).toEqual(clEncode(noBom, { disallowedSpecial: new Set() }));
    expect(clDecode(cl100k.encode(noBom))).toBe(noBom);
  });
});
