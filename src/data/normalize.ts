// Text normalisation: one canonical form per visible string, so that later stages
// (filters, hashing, dedup) compare like with like.

// C0/C1 controls except \t and \n, plus zero-width characters and the BOM, which are
// invisible but would make two identical-looking texts hash differently.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200D\u2060\uFEFF]/g;

export function normalizeText(text: string): string {
  return text
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    .replace(CONTROL, "")
    .replace(/[\t\u00A0\u2000-\u200A\u202F\u205F\u3000]/g, " ") // every horizontal space -> " "
    .replace(/ {2,}/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Aggressive form used only as a dedup key: case, punctuation and spacing do not count. */
export function dedupKey(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** Whitespace words: the unit the Gopher rules and the diversity report count. */
export function words(text: string): string[] {
  const w = text.split(/\s+/);
  return w[0] === "" ? w.slice(1) : w;
}
