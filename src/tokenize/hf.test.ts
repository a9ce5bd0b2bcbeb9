// Hugging Face tokenizer.json: the documented structure, round trips, and the file opening in
// Hugging Face's own JavaScript implementation (@huggingface/tokenizers) with equal ids.
import { Tokenizer as HFTokenizer } from "@huggingface/tokenizers";
import { Tiktoken } from "js-tiktoken/lite";
import { courseCorpusSample, sotuText } from "./corpus";
import { gpt2Tokenizer } from "./gpt2";
import { fromHFTokenizerJSON, HFTokenizerJSON, jsToOniguruma, onigurumaToJs } from "./hf";
import { GPT4_SPLIT_PATTERN } from "./patterns";
import { trainBPE } from "./train";

const text = courseCorpusSample(8000) + "\n\n  trailing   \n";
const trained = trainBPE(sotuText(50_000), { vocabSize: 700 });
const gpt2 = gpt2Tokenizer();
const gpt2JSON = gpt2.toJSON() as HFTokenizerJSON;

describe("tokenizer.json structure", () => {
  it("has the top-level fields and a BPE model with vocab and merges", () => {
    const j = trained.toJSON() as HFTokenizerJSON;
    expect(Object.keys(j).sort()).toEqual([
      "added_tokens",
      "decoder",
      "model",
      "normalizer",
      "padding",
      "post_processor",
      "pre_tokenizer",
      "truncation",
      "version",
    ]);
    expect(j.model.type).toBe("BPE");
    expect(Object.keys(j.model.vocab)).toHaveLength(700);
    expect(j.model.merges).toHaveLength(700 - 256);
    expect(j.added_tokens).toEqual([
      {
        id: 700,
        content: "<|endoftext|>",
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      },
    ]);
    expect(j.decoder.type).toBe("ByteLevel");
    // A non-GPT-2 split is a Split(Regex) before a regex-free ByteLevel, in Oniguruma syntax.
    expect(j.pre_tokenizer).toEqual({
      type: "Sequence",
      pretokenizers: [
        {
          type: "Split",
          pattern: { Regex: GPT4_SPLIT_PATTERN.replace("\\s+$", "\\s+\\z") },
          behavior: "Isolated",
          invert: false,
        },
        { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    });
  });

  it("writes GPT-2 with the vocabulary and merges of GPT-2's published files", () => {
    expect(gpt2JSON.pre_tokenizer).toEqual({
      type: "ByteLevel",
      add_prefix_space: false,
      trim_offsets: true,
      use_regex: true,
    });
    expect(Object.keys(gpt2JSON.model.vocab)).toHaveLength(50256);
    expect(gpt2JSON.model.vocab["Ġthe"]).toBe(262);
    expect(gpt2JSON.model.vocab["!"]).toBe(0);
    expect(gpt2JSON.model.vocab["Ċ"]).toBe(198); // "\n"
    // The first lines of GPT-2's merges.txt (after its "#version" header).
    expect(gpt2JSON.model.merges.slice(0, 7)).toEqual(["Ġ t", "Ġ a", "h e", "i n", "r e", "o n", "Ġt he"]);
    expect(gpt2JSON.model.merges).toHaveLength(50000);
  });

  it("translates `$` (end of input in JavaScript) to Oniguruma's `\\z` and back", () => {
    expect(jsToOniguruma(String.raw`\s+$|[$]|\$`)).toBe(String.raw`\s+\z|[$]|\$`);
    expect(onigurumaToJs(String.raw`\s+\z|a$`)).toBe(String.raw`\s+$|a(?![^\n])`);
    expect(onigurumaToJs(jsToOniguruma(GPT4_SPLIT_PATTERN))).toBe(GPT4_SPLIT_PATTERN);
  });
});

describe("tokenizer.json round trip", () => {
  it("reloads a trained tokenizer with identical ids", () => {
    const back = fromHFTokenizerJSON(JSON.parse(JSON.stringify(trained.toJSON())));
    expect(back.encode(text)).toEqual(trained.encode(text));
    expect(back.getMerges()).toEqual(trained.getMerges());
  });

  it("reloads GPT-2 from merges (HF semantics) still equal to js-tiktoken", () => {
    const back = fromHFTokenizerJSON(JSON.parse(JSON.stringify(gpt2JSON)));
    const ref = new Tiktoken(require("js-tiktoken/ranks/gpt2"));
    expect(back.encode(text)).toEqual(ref.encode(text, [], []));
  });

  it("accepts merges written as pairs (newer tokenizers versions)", () => {
    const j = JSON.parse(JSON.stringify(trained.toJSON())) as HFTokenizerJSON;
    const pairs = { ...j, model: { ...j.model, merges: j.model.merges.map((m) => m.split(" ")) } };
    expect(fromHFTokenizerJSON(pairs).encode(text)).toEqual(trained.encode(text));
  });

  it("explains what is wrong with a file it cannot use", () => {
    expect(() => fromHFTokenizerJSON({})).toThrow(/no model object/);
    expect(() => fromHFTokenizerJSON({ model: { type: "WordPiece" } })).toThrow(
      /model.type is "WordPiece"; expected "BPE"/,
    );
    const j = JSON.parse(JSON.stringify(trained.toJSON())) as HFTokenizerJSON;
    j.pre_tokenizer = { type: "Whitespace" };
    expect(() => fromHFTokenizerJSON(j)).toThrow(/pre_tokenizer of type "Whitespace" is not supported/);
    const k = JSON.parse(JSON.stringify(trained.toJSON())) as HFTokenizerJSON;
    k.model.merges[0] = "nope missing";
    expect(() => fromHFTokenizerJSON(k)).toThrow(/merges\[0\] = "nope missing" names a token not in vocab/);
  });
});

describe("opens in Hugging Face's tokenizers.js", () => {
  it.each([
    ["trained, GPT-4 split", () => trained],
    ["trained, GPT-2 split", () => trainBPE(sotuText(50_000), { vocabSize: 700, pattern: "gpt2" })],
    ["GPT-2", () => gpt2],
  ])("%s: same ids and the same decoded text", (_name, get) => {
    const tok = get();
    const hf = new HFTokenizer(tok.toJSON(), { clean_up_tokenization_spaces: false });
    const ids = tok.encode(text);
    expect(hf.encode(text, { add_special_tokens: false }).ids).toEqual(ids);
    expect(hf.decode(ids)).toBe(text);
  });
});
