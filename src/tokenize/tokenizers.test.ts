// Round trips of every tokenizer through encode/decode and through save/load.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BPETokenizer } from "./bpe";
import { CharTokenizer } from "./char";
import { sotuText } from "./corpus";
import { gpt2Tokenizer } from "./gpt2";
import { loadTokenizer, saveTokenizer } from "./io";
import { trainBPE } from "./train";
import { Tokenizer } from "./types";
import { WordTokenizer } from "./word";

const TEXTS: Record<string, string> = {
  empty: "",
  ascii: "The quick brown fox jumps over the lazy dog. 1234567890 !@#$%^&*()\n\tIndented.",
  multilingual: "Grüße aus Zürich — naïve café; Ελληνικά; Русский; 中文; 日本語; 한국어; עברית; العربية; हिन्दी",
  emoji: "emoji 🎉👍🏽 👨‍👩‍👧‍👦 🇬🇧 ❤️",
};
const training = sotuText(30_000) + "\n" + Object.values(TEXTS).join("\n");

const tokenizers: Array<[string, () => Tokenizer]> = [
  ["char", () => CharTokenizer.train(training)],
  ["word", () => WordTokenizer.train(training, { vocabSize: 5000 })],
  ["bpe (gpt4 split)", () => trainBPE(sotuText(30_000), { vocabSize: 400 })],
  ["bpe (gpt2 split)", () => trainBPE(sotuText(30_000), { vocabSize: 400, pattern: "gpt2" })],
  ["gpt2", () => gpt2Tokenizer()],
];

describe.each(tokenizers)("%s tokenizer", (_name, make) => {
  const tok = make();
  it.each(Object.entries(TEXTS))("round-trips %s text", (_k, text) => {
    const ids = tok.encode(text);
    for (const id of ids) expect(id >= 0 && id < tok.vocabSize).toBe(true);
    expect(tok.decode(ids)).toBe(text);
  });
  it("survives save and load with identical encodings", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "llmlab-tok-")), "tok.json");
    saveTokenizer(tok, file);
    const back = loadTokenizer(file);
    expect(back.type).toBe(tok.type);
    expect(back.vocabSize).toBe(tok.vocabSize);
    expect(back.specialTokens).toEqual(tok.specialTokens);
    const text = Object.values(TEXTS).join(" <|endoftext|> ") + sotuText(5000);
    expect(back.encode(text, { allowedSpecial: "all" })).toEqual(tok.encode(text, { allowedSpecial: "all" }));
  });
  it("treats special tokens as text unless allowed", () => {
    const text = " the<|endoftext|> of"; // words every vocabulary here has
    expect(tok.encode(text, { allowedSpecial: "all" })).toContain(tok.specialTokens["<|endoftext|>"]);
    expect(tok.encode(text)).not.toContain(tok.specialTokens["<|endoftext|>"]);
    expect(tok.decode(tok.encode(text, { allowedSpecial: "all" }))).toBe(text);
  });
});

describe("save/load errors", () => {
  it("name the file and the problem", () => {
    const tok = CharTokenizer.train("abc");
    expect(() => tok.save(path.join(os.tmpdir(), "no-such-dir-llmlab", "t.json"))).toThrow(/cannot write .*t\.json/);
    expect(() => loadTokenizer(path.join(os.tmpdir(), "no-such-file-llmlab.json"))).toThrow(
      /no-such-file-llmlab\.json: cannot read/,
    );
    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "llmlab-tok-")), "bad.json");
    fs.writeFileSync(bad, JSON.stringify({ hello: 1 }));
    expect(() => loadTokenizer(bad)).toThrow(/neither a Hugging Face tokenizer.json/);
  });
});

describe("lossy tokenizers", () => {
  it("char and word map unseen symbols to <unk>", () => {
    const char = CharTokenizer.train("abc ");
    expect(char.decode(char.encode("abcd"))).toBe("abc<unk>");
    const word = WordTokenizer.train("the cat the dog", { vocabSize: 5 });
    expect(word.decode(word.encode("the cat the bird"))).toBe("the cat the<unk>");
  });
});

describe("byte-level decode", () => {
  const bpe = trainBPE(sotuText(10_000), { vocabSize: 300 }) as BPETokenizer;
  it("decodes invalid UTF-8 (a split multi-byte character) to U+FFFD, and bytes exactly", () => {
    const euro = [...Buffer.from("€")].map((b) => bpe.idOfByte(b)); // 3 byte tokens
    expect(bpe.decode(euro.slice(0, 2))).toBe("\ufffd");
    expect(bpe.decode([bpe.idOfByte(0xff), bpe.idOfByte(0x41)])).toBe("\ufffdA");
    expect([...bpe.decodeBytes(euro)]).toEqual([0xe2, 0x82, 0xac]);
    expect(bpe.decode(euro)).toBe("€");
  });
  it("keeps a leading byte order mark", () => {
    expect(bpe.decode(bpe.encode("\ufeffhi"))).toBe("\ufeffhi");
  });
  it("rejects a non-integer id", () => {
    expect(() => bpe.decode([1.5])).toThrow(/ids\[0\] = 1.5/);
  });
});
