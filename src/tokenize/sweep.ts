// Vocabulary-size sweep for notebook 03: train a BPE tokenizer per size and measure
// compression, sequence length, training time and a bigram model's bits per byte.
import { BPETokenizer } from "./bpe";
import { tokenizerBitsPerByte } from "./ngram";
import { trainBPE } from "./train";

export interface SweepRow {
  vocabSize: number;
  /** UTF-8 bytes of the eval text / its token count (higher = more compression). */
  bytesPerToken: number;
  /** Tokens of the eval text (the sequence length a model would see). */
  evalTokens: number;
  trainSeconds: number;
  /** Bigram model (add-k) trained on the training text, in bits per byte of the eval text. */
  bitsPerByte: number;
  tokenizer: BPETokenizer;
}

export function vocabSweep(
  trainText: string,
  evalText: string,
  vocabSizes: readonly number[],
  opts: { pattern?: string; k?: number; signal?: AbortSignal; onProgress?(row: SweepRow): void } = {},
): SweepRow[] {
  const evalBytes = Buffer.byteLength(evalText, "utf8");
  const rows: SweepRow[] = [];
  for (const vocabSize of vocabSizes) {
    if (opts.signal?.aborted) break;
    const t0 = performance.now();
    const tok = trainBPE(trainText, { vocabSize, pattern: opts.pattern, specialTokens: [], signal: opts.signal });
    const trainSeconds = (performance.now() - t0) / 1000;
    const score = tokenizerBitsPerByte(tok, trainText, evalText, opts.k);
    const row = {
      vocabSize,
      bytesPerToken: evalBytes / score.evalTokens,
      evalTokens: score.evalTokens,
      trainSeconds,
      bitsPerByte: score.bitsPerByte,
      tokenizer: tok,
    };
    rows.push(row);
    opts.onProgress?.(row);
  }
  return rows;
}
