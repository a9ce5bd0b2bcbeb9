// Character-level tokenizer (nanoGPT's shakespeare_char): one id per Unicode code point seen in
// training, plus "<unk>" for characters it never saw. Tiny vocabulary, long sequences.
import { writeJSONAtomic } from "./atomic";
import { checkIds, EncodeOptions, splitSpecial, Tokenizer } from "./types";

export const UNK = "<unk>";

export interface CharTokenizerJSON {
  llmlab_tokenizer: 1;
  type: "char";
  chars: string[];
  specialTokens: Record<string, number>;
}

export class CharTokenizer implements Tokenizer {
  readonly type = "char";
  readonly specialTokens: Readonly<Record<string, number>>;
  readonly vocabSize: number;
  private readonly ids = new Map<string, number>();

  /** chars get ids 0..n-1; specials (always including "<unk>") follow. */
  constructor(
    readonly chars: readonly string[],
    specials: readonly string[] = [],
  ) {
    chars.forEach((c, i) => {
      if ([...c].length !== 1)
        throw new Error(`CharTokenizer: vocabulary entry ${i} ${JSON.stringify(c)} is not one code point`);
      if (this.ids.has(c)) throw new Error(`CharTokenizer: character ${JSON.stringify(c)} appears twice`);
      this.ids.set(c, i);
    });
    const sp: Record<string, number> = {};
    for (const s of [UNK, ...specials.filter((s) => s !== UNK)]) sp[s] = chars.length + Object.keys(sp).length;
    this.specialTokens = Object.freeze(sp);
    this.vocabSize = chars.length + Object.keys(sp).length;
  }

  /** The sorted set of code points in text (nanoGPT: sorted(set(text))). */
  static train(text: string, opts: { specialTokens?: string[] } = {}): CharTokenizer {
    return new CharTokenizer([...new Set(text)].sort(), opts.specialTokens ?? ["<|endoftext|>"]);
  }

  encode(text: string, opts?: EncodeOptions): number[] {
    const out: number[] = [];
    const unk = this.specialTokens[UNK];
    for (const seg of splitSpecial(text, this.specialTokens, opts?.allowedSpecial)) {
      if ("special" in seg) out.push(seg.special);
      else for (const c of seg.text) out.push(this.ids.get(c) ?? unk);
    }
    return out;
  }

  decode(ids: readonly number[]): string {
    checkIds(ids, this.vocabSize, "CharTokenizer");
    return ids.map((id) => this.tokenText(id)).join("");
  }

  tokenText(id: number): string {
    if (id < this.chars.length) return this.chars[id];
    for (const [s, sid] of Object.entries(this.specialTokens)) if (sid === id) return s;
    throw new Error(`CharTokenizer: id ${id} is not in [0, ${this.vocabSize})`);
  }

  save(file: string): void {
    writeJSONAtomic(file, this.toJSON());
  }

  toJSON(): CharTokenizerJSON {
    return { llmlab_tokenizer: 1, type: "char", chars: [...this.chars], specialTokens: { ...this.specialTokens } };
  }
}
