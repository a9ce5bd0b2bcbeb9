// The one interface every tokenizer in the course implements.

export interface EncodeOptions {
  /**
   * Which special tokens (e.g. "<|endoftext|>") are recognised in the text. Default "none":
   * they are encoded as ordinary text, so user text can never inject a control token
   * (tiktoken's encode_ordinary). "all" or a list to turn them on.
   */
  allowedSpecial?: "all" | "none" | readonly string[];
}

export interface Tokenizer {
  /** "char", "word" or "bpe". */
  readonly type: string;
  /** Number of ids, special tokens included: every id is in [0, vocabSize). */
  readonly vocabSize: number;
  /** Special token text -> id. */
  readonly specialTokens: Readonly<Record<string, number>>;
  encode(text: string, opts?: EncodeOptions): number[];
  decode(ids: readonly number[]): string;
  /** A readable rendering of one token (for tables and plots). */
  tokenText(id: number): string;
  /** The JSON that save() writes: Hugging Face tokenizer.json for BPE, llmlab's own for char/word. */
  toJSON(): object;
  /** Write toJSON() to file atomically; loadTokenizer(file) reads any of them back. */
  save(file: string): void;
}

/** A text segment: ordinary text, or one special token's id. */
export type Segment = { text: string } | { special: number };

function escapeRegex(s: string): string {
  return s.replace(/[\\^$*+?.()|[\]{}]/g, "\\$&");
}

/** Cut text at the allowed special tokens (longest match first). */
export function splitSpecial(
  text: string,
  specials: Readonly<Record<string, number>>,
  allowed: EncodeOptions["allowedSpecial"] = "none",
): Segment[] {
  let names: string[];
  if (allowed === "none" || allowed === undefined) names = [];
  else if (allowed === "all") names = Object.keys(specials);
  else {
    for (const s of allowed)
      if (!(s in specials))
        throw new Error(
          `allowedSpecial: ${JSON.stringify(s)} is not a special token of this tokenizer (have ${JSON.stringify(Object.keys(specials))})`,
        );
    names = [...allowed];
  }
  if (names.length === 0) return [{ text }];
  const re = new RegExp(
    names
      .sort((a, b) => b.length - a.length)
      .map(escapeRegex)
      .join("|"),
    "g",
  );
  const out: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index! > last) out.push({ text: text.slice(last, m.index) });
    out.push({ special: specials[m[0]] });
    last = m.index! + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

/** Check ids before decoding: a clear error instead of silently dropping them. */
export function checkIds(ids: readonly number[], vocabSize: number, what: string): void {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (!Number.isInteger(id) || id < 0 || id >= vocabSize)
      throw new Error(`${what}.decode: ids[${i}] = ${id} is not an integer id in [0, ${vocabSize})`);
  }
}
