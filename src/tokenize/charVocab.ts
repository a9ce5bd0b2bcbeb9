// The character vocabulary the course trains on (nanoGPT's shakespeare_char): one id per
// distinct code point of the training text, no unknown token, so encode throws on a character
// it has not seen. CharTokenizer (./char.ts) is the Tokenizer-interface variant with "<unk>".

/** Character-level tokenizer: one id per distinct Unicode code point, sorted by code point. */
export class CharVocab {
  readonly chars: string[];
  private readonly index: Map<string, number>;

  constructor(chars: string[]) {
    if (chars.length === 0) throw new Error("CharVocab: needs at least one character");
    this.chars = chars;
    this.index = new Map(chars.map((c, i) => [c, i]));
    if (this.index.size !== chars.length) throw new Error("CharVocab: characters must be distinct");
  }

  static fromText(text: string): CharVocab {
    const set = new Set(Array.from(text));
    return new CharVocab([...set].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!));
  }

  get size(): number {
    return this.chars.length;
  }

  encode(text: string): Int32Array {
    const cps = Array.from(text);
    const out = new Int32Array(cps.length);
    cps.forEach((c, i) => {
      const id = this.index.get(c);
      if (id === undefined)
        throw new Error(`CharVocab.encode: character ${JSON.stringify(c)} is not in the vocabulary`);
      out[i] = id;
    });
    return out;
  }

  decode(ids: ArrayLike<number>): string {
    let s = "";
    for (let i = 0; i < ids.length; i++) {
      const c = this.chars[ids[i]];
      if (c === undefined) throw new Error(`CharVocab.decode: id ${ids[i]} is not in [0, ${this.size})`);
      s += c;
    }
    return s;
  }
}
