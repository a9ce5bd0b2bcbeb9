// Text normalisation shared by the tasks and the base model's corpus: everything becomes
// printable ASCII plus newline, so one fixed character vocabulary covers every input and a
// base model and its fine-tuning data can never disagree about which characters exist.
import { CharVocab } from "../tokenize/charVocab";

/** The 95 printable ASCII characters and "\n", in code-point order (96 ids). */
export function asciiVocab(): CharVocab {
  const chars = ["\n"];
  for (let c = 32; c < 127; c++) chars.push(String.fromCharCode(c));
  return new CharVocab(chars);
}

/** Accents dropped (NFKD), other non-ASCII and control characters become spaces; "\n" is kept. */
export function toAscii(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/\r\n?/g, "\n")
    .replace(/[^\n\x20-\x7e]/g, " ");
}

/**
 * Encodes with a vocabulary that may lack some characters (a base checkpoint trained on
 * other text): unknown characters become `fallback` instead of throwing.
 */
export function encodeLossy(vocab: CharVocab, text: string, fallback = " "): Int32Array {
  const fb = vocab.chars.indexOf(fallback);
  if (fb < 0) throw new Error(`encodeLossy: fallback character ${JSON.stringify(fallback)} is not in the vocabulary`);
  const ids = new Map(vocab.chars.map((c, i) => [c, i]));
  return Int32Array.from(Array.from(text), (c) => ids.get(c) ?? fb);
}
