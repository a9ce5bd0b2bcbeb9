// A count-based bigram language model over token ids with add-k smoothing, scored in bits per
// byte. The course's transformer is not needed to see how vocabulary size changes what a model
// must learn: bits per byte divides the total code length by the text's UTF-8 bytes, so
// tokenizers with different vocabularies (and sequence lengths) are compared fairly.
import { Tokenizer } from "./types";

export interface BigramScore {
  /** Total code length of the evaluation text / its UTF-8 bytes. */
  bitsPerByte: number;
  /** Mean bits per token. */
  bitsPerToken: number;
  evalTokens: number;
  evalBytes: number;
}

/**
 * Fit P(next | prev) = (c(prev, next) + k) / (c(prev) + k V) on trainIds and score evalIds
 * (the first eval token under the add-k unigram). V = vocabSize.
 */
export function bigramBitsPerByte(
  trainIds: readonly number[],
  evalIds: readonly number[],
  evalBytes: number,
  vocabSize: number,
  k = 0.1,
): BigramScore {
  if (!(k > 0)) throw new Error(`bigram smoothing k = ${k}: expected k > 0 (k = 0 gives unseen pairs probability 0)`);
  if (evalIds.length === 0 || evalBytes <= 0) throw new Error("bigram evaluation text is empty");
  const V = vocabSize;
  const uni = new Float64Array(V);
  const pair = new Map<number, number>();
  for (let i = 0; i < trainIds.length; i++) {
    uni[trainIds[i]]++;
    if (i > 0) {
      const key = trainIds[i - 1] * V + trainIds[i];
      pair.set(key, (pair.get(key) ?? 0) + 1);
    }
  }
  // Context counts: how often a token is followed by anything (all but the last).
  const ctx = Float64Array.from(uni);
  if (trainIds.length > 0) ctx[trainIds[trainIds.length - 1]]--;
  let bits = -Math.log2((uni[evalIds[0]] + k) / (trainIds.length + k * V));
  for (let i = 1; i < evalIds.length; i++) {
    const p = evalIds[i - 1];
    const c = pair.get(p * V + evalIds[i]) ?? 0;
    bits -= Math.log2((c + k) / (ctx[p] + k * V));
  }
  return { bitsPerByte: bits / evalBytes, bitsPerToken: bits / evalIds.length, evalTokens: evalIds.length, evalBytes };
}

/** Encode both texts with tok and score a bigram model in bits per byte. */
export function tokenizerBitsPerByte(tok: Tokenizer, trainText: string, evalText: string, k = 0.1): BigramScore {
  return bigramBitsPerByte(
    tok.encode(trainText),
    tok.encode(evalText),
    Buffer.byteLength(evalText, "utf8"),
    tok.vocabSize,
    k,
  );
}
