// GPT-2 encoding must equal the reference packages id for id.
import { Tiktoken } from "js-tiktoken/lite";
import { decode as gtDecode, encode as gtEncode } from "gpt-tokenizer/cjs/encoding/r50k_base";
import { brownText, nlpCorpusText, sotuText, spamAssassinText } from "./corpus";
import { BPETokenizer } from "./bpe";
import { gpt2Tokenizer } from "./gpt2";
const jsTiktoken = new Tiktoken(require("js-tiktoken/ranks/gpt2"));
const gpt2 = gpt2Tokenizer();

const EDGE_CASES = [
  "",
  " ",
  "a",
  "Hello world",
  "   leading and trailing spaces   ",
  "tabs\tand\t\tnew\nlines\n\n\n  indented\n\t\tcode\r\n",
  "whitespace runs:" + " ".repeat(300) + "x" + "\n".repeat(100) + "y \u00a0\u2003 z",
  "contractions: I'm, you're, it's, we've, they'll, I'd, don't, O'Neil's, 'quoted', I'M YOU'RE ''s",
  "numbers: 3.14159 1,000,000 2024-11-26 0x1F 1e-9 +44 (0)20 7946 0958 12345678901234567890",
  "punctuation!!! ??? ... --- *** ### $$$ @user #tag http://example.com/a?b=c&d=e",
  "multilingual: naïve café Zürich; Ελληνικά; Русский текст; 中文文本; 日本語のテキスト; 한국어; עברית; العربية; हिन्दी",
  "emoji: 🎉👍🏽 👨‍👩‍👧‍👦 🇬🇧 ❤️ 🤖🤖🤖",
  "lone surrogates: \ud800 \udfff x\ud83dy",
  "control chars: \u0000\u0001\u001f\u007f and BOM \ufeff and NEL \u0085 and LS \u2028",
  "\ufeffThe text starts with a byte order mark\n\ufeff",
  "code: function f(x) { return x ** 2; } // comment\nconst a = [1, 2, 3].map((v) => v * 2);",
  "a".repeat(500) + " " + "ab".repeat(300) + " " + "-".repeat(200), // long chunks: the heap path
  "<|endoftext|> is ordinary text unless allowed",
];

describe("GPT-2 (r50k) encoding", () => {
  it("has GPT-2's vocabulary: 50,257 ids with <|endoftext|> = 50256", () => {
    expect(gpt2.vocabSize).toBe(50257);
    expect(gpt2.specialTokens["<|endoftext|>"]).toBe(50256);
    expect(gpt2.encode("Hello world")).toEqual([15496, 995]); // the well-known ids
  });

  it.each(EDGE_CASES.map((s) => [JSON.stringify(s).slice(0, 40), s]))(
    "equals js-tiktoken and gpt-tokenizer on %s",
    (_name, text) => {
      const ours = gpt2.encode(text);
      expect(ours).toEqual(jsTiktoken.encode(text, [], []));
      expect(ours).toEqual(gtEncode(text, { disallowedSpecial: new Set() }));
    },
  );

  it.each([
    ["SOTU", () => sotuText(40_000)],
    ["Brown", () => brownText(40_000)],
    ["nlp-corpus", () => nlpCorpusText(40_000)],
    ["SpamAssassin", () => spamAssassinText(40_000)],
  ])("equals both references on %s text", (_name, get) => {
    const text = get();
    expect(text.length).toBeGreaterThan(30_000);
    const ours = gpt2.encode(text);
    expect(ours).toEqual(jsTiktoken.encode(text, [], []));
    expect(ours).toEqual(gtEncode(text, { disallowedSpecial: new Set() }));
    expect(gpt2.decode(ours)).toBe(text);
  });

  it("equals the references on random unicode strings (a fuzz over the scanner's classes)", () => {
    let seed = 7;
    const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const alphabet = [..."aZ9 \t\n'sdmtlrev.,!-_/:;ßé€中😀\u00a0\u3000\u200b\u20280٣Ⅳ"];
    for (let trial = 0; trial < 200; trial++) {
      let s = "";
      const len = Math.floor(rand() * 40);
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
      expect([s, gpt2.encode(s)]).toEqual([s, jsTiktoken.encode(s, [], [])]);
    }
  });

  it("stays equal when its chunk cache fills up and is reset", () => {
    const small = BPETokenizer.fromRanks({
      tokens: gpt2.tokens,
      pattern: gpt2.pattern,
      specialTokens: { ...gpt2.specialTokens },
      cacheLimit: 50,
    });
    const text = nlpCorpusText(20_000);
    expect(small.encode(text)).toEqual(gpt2.encode(text));
    expect(small.encode(text)).toEqual(jsTiktoken.encode(text, [], []));
  });

  it("decodes like the references, special tokens included", () => {
    const ids = gpt2.encode("one <|endoftext|> two", { allowedSpecial: "all" });
    expect(ids).toEqual(jsTiktoken.encode("one <|endoftext|> two", "all"));
    expect(ids).toContain(50256);
    expect(gpt2.decode(ids)).toBe(gtDecode(ids));
  });

  it("rejects ids outside the vocabulary with a clear error", () => {
    expect(() => gpt2.decode([50257])).toThrow(/ids\[0\] = 50257 is not an integer id in \[0, 50257\)/);
  });
});
