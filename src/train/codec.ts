// Text <-> token ids for a checkpoint's vocabulary (CheckpointVocab): the character vocabulary
// `llmlab train` builds from its data, or a byte-level BPE tokenizer given with --tokenizer.
import { CharVocab } from "../tokenize/charVocab";
import type { CheckpointVocab } from "./checkpoint";
import { fromHFTokenizerJSON } from "../tokenize/hf";
import { BPETokenizer } from "../tokenize/bpe";

export interface TextCodec {
  readonly vocab: CheckpointVocab;
  readonly vocabSize: number;
  encode(text: string): Int32Array;
  decode(ids: ArrayLike<number>): string;
  /** The end-of-text id (BPE's <|endoftext|>): it ends documents in training, and generation. */
  readonly eot?: number;
}

export function textCodec(vocab: CheckpointVocab): TextCodec {
  if (vocab.kind === "char") {
    const v = new CharVocab(vocab.chars);
    return { vocab, vocabSize: v.size, encode: (t) => v.encode(t), decode: (ids) => v.decode(ids) };
  }
  if (vocab.kind !== "bpe")
    throw new Error(
      `checkpoint vocab: kind ${JSON.stringify((vocab as { kind: unknown }).kind)} is neither "char" nor "bpe"`,
    );
  const tok = fromHFTokenizerJSON(vocab.tokenizer);
  if (!(tok instanceof BPETokenizer)) throw new Error("checkpoint vocab: tokenizer.json is not byte-level BPE");
  return {
    vocab,
    vocabSize: tok.vocabSize,
    encode: (t) => Int32Array.from(tok.encode(t)),
    decode: (ids) => tok.decode(Array.from(ids)),
    eot: tok.specialTokens["<|endoftext|>"],
  };
}
