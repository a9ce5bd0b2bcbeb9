// Word-level tokenizer: the GPT-2 split's chunks (" word", "'s", ",", "\n") are the tokens; the
// most frequent ones make the vocabulary and every other chunk is "<unk>". Shows why word
// vocabularies fail: rare words, names, numbers and other scripts all collapse to <unk>.
import { writeJSONAtomic } from "./atomic";
import { UNK } from "./char";
import { compileSplit, GPT2_SPLIT_PATTERN, splitText } from "./patterns";
import { checkIds, EncodeOptions, splitSpecial, Tokenizer } from "./types";

export interface WordTokenizerJSON {
  llmlab_tokenizer: 1;
  type: "word";
  pattern: string;
  words: string[];
  specialTokens: Record<string, number>;
}

export class WordTokenizer implements Tokenizer {
  readonly type = "word";
  readonly specialTokens: Readonly<Record<string, number>>;
  readonly vocabSize: number;
  private readonly ids = new Map<string, number>();

  constructor(
    readonly words: readonly string[],
    readonly pattern: string = GPT2_SPLIT_PATTERN,
    specials: readonly string[] = [],
  ) {
    compileSplit(pattern);
    words.forEach((w, i) => {
      if (this.ids.has(w)) throw new Error(`WordTokenizer: word ${JSON.stringify(w)} appears twice`);
      this.ids.set(w, i);
    });
    const sp: Record<string, number> = {};
    for (const s of [UNK, ...specials.filter((s) => s !== UNK)]) sp[s] = words.length + Object.keys(sp).length;
    this.specialTokens = Object.freeze(sp);
    this.vocabSize = words.length + Object.keys(sp).length;
  }

  /** The vocabSize - specials most frequent chunks (ties: first seen), in frequency order. */
  static train(text: string, opts: { vocabSize: number; pattern?: string; specialTokens?: string[] }): WordTokenizer {
    const specials = opts.specialTokens ?? ["<|endoftext|>"];
    const room = opts.vocabSize - 1 - specials.filter((s) => s !== UNK).length;
    if (!Number.isInteger(opts.vocabSize) || room < 1)
      throw new Error(
        `WordTokenizer.train: vocabSize ${opts.vocabSize} leaves no room for words after ${specials.length + 1} special tokens`,
      );
    const pattern = opts.pattern ?? GPT2_SPLIT_PATTERN;
    const counts = new Map<string, number>();
    for (const w of splitText(text, pattern)) counts.set(w, (counts.get(w) ?? 0) + 1);
    const words = [...counts.entries()]
      .sort((x, y) => y[1] - x[1])
      .slice(0, room)
      .map(([w]) => w);
    return new WordTokenizer(words, pattern, specials);
  }

  encode(text: string, opts?: EncodeOptions): number[] {
    const out: number[] = [];
    const unk = this.specialTokens[UNK];
    const re = compileSplit(this.pattern);
    for (const seg of splitSpecial(text, this.specialTokens, opts?.allowedSpecial)) {
      if ("special" in seg) out.push(seg.special);
      else for (const m of seg.text.matchAll(re)) out.push(this.ids.get(m[0]) ?? unk);
    }
    return out;
  }

  decode(ids: readonly number[]): string {
    checkIds(ids, this.vocabSize, "WordTokenizer");
    return ids.map((id) => this.tokenText(id)).join("");
  }

  tokenText(id: number): string {
    if (id < this.words.length) return this.words[id];
    for (const [s, sid] of Object.entries(this.specialTokens)) if (sid === id) return s;
    throw new Error(`WordTokenizer: id ${id} is not in [0, ${this.vocabSize})`);
  }

  save(file: string): void {
    writeJSONAtomic(file, this.toJSON());
  }

  toJSON(): WordTokenizerJSON {
    return {
      llmlab_tokenizer: 1,
      type: "word",
      pattern: this.pattern,
      words: [...this.words],
      specialTokens: { ...this.specialTokens },
    };
  }
}
