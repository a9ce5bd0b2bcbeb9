// Bytes <-> text helpers shared by the byte-level tokenizers.

/**
 * GPT-2's byte encoder (openai/gpt-2 encoder.py `bytes_to_unicode`): every byte gets a
 * printable unicode character so that BPE vocabularies can be stored as text (this is
 * where the "Ġ" for a leading space in GPT-2 / Hugging Face vocabularies comes from).
 * Printable latin-1 bytes map to themselves; the rest to 256, 257, ... in byte order.
 */
export function bytesToUnicode(): string[] {
  const bs: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) bs.push(b);
  for (let b = 0xa1; b <= 0xac; b++) bs.push(b);
  for (let b = 0xae; b <= 0xff; b++) bs.push(b);
  const out: string[] = new Array(256);
  for (const b of bs) out[b] = String.fromCharCode(b);
  let n = 0;
  for (let b = 0; b < 256; b++) if (out[b] === undefined) out[b] = String.fromCharCode(256 + n++);
  return out;
}

let byteEncoder: string[] | undefined;
let byteDecoder: Map<string, number> | undefined;

/** Bytes -> GPT-2 byte-level string ("Ġhello" for " hello"). */
export function bytesToByteLevel(bytes: ArrayLike<number>): string {
  byteEncoder ??= bytesToUnicode();
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += byteEncoder[bytes[i]];
  return s;
}

/** GPT-2 byte-level string -> bytes; throws on a character outside the 256-symbol alphabet. */
export function byteLevelToBytes(s: string): Uint8Array {
  if (!byteDecoder) {
    byteDecoder = new Map();
    bytesToUnicode().forEach((ch, b) => byteDecoder!.set(ch, b));
  }
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const b = byteDecoder.get(s[i]);
    if (b === undefined)
      throw new Error(
        `byte-level token ${JSON.stringify(s)}: character ${JSON.stringify(s[i])} is not one of GPT-2's 256 byte symbols`,
      );
    out[i] = b;
  }
  return out;
}

const encoder = new TextEncoder();
// Non-fatal: invalid bytes decode to U+FFFD, as tiktoken does. ignoreBOM: keep a leading U+FEFF
// (by default TextDecoder drops it, which would lose a BOM token's text).
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });

export const utf8Encode = (s: string): Uint8Array => encoder.encode(s);
export const utf8Decode = (b: Uint8Array): string => decoder.decode(b);

/**
 * UTF-8 bytes of s[start, end) written into out (which must hold 3 * (end - start) bytes);
 * returns the byte count. Same bytes as TextEncoder, lone surrogates included (U+FFFD),
 * but without allocating: the GPT-2 encoder calls this for every uncached piece.
 */
export function utf8Into(s: string, start: number, end: number, out: Uint8Array): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
      continue;
    }
    if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 63);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < end ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        out[n++] = 0xf0 | (c >> 18);
        out[n++] = 0x80 | ((c >> 12) & 63);
        out[n++] = 0x80 | ((c >> 6) & 63);
        out[n++] = 0x80 | (c & 63);
        continue;
      }
      c = 0xfffd; // lone surrogate
    }
    out[n++] = 0xe0 | (c >> 12);
    out[n++] = 0x80 | ((c >> 6) & 63);
    out[n++] = 0x80 | (c & 63);
  }
  return n;
}
