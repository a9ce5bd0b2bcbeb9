// A hand-written scanner equal to GPT-2's split regex
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// Why by hand: pre-splitting is most of the time of a cached BPE encoder, and running the
// regex (plus one match object and substring per chunk) is several times slower than one pass
// over char codes. Classes of non-ASCII characters come from the same \p{L}, \p{N} and \s the
// regex uses, so both agree on every string (pretokenize.test.ts checks this on our corpora).

const OTHER = 0, LETTER = 1, NUMBER = 2, SPACE = 3;

const ascii = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  ascii[c] = /\p{L}/u.test(ch) ? LETTER : /\p{N}/u.test(ch) ? NUMBER : /\s/u.test(ch) ? SPACE : OTHER;
}
const bmp = new Uint8Array(0x10000).fill(255); // lazily filled class of each BMP code unit
const astral = new Map<number, number>();

function classify(ch: string): number {
  return /\p{L}/u.test(ch) ? LETTER : /\p{N}/u.test(ch) ? NUMBER : /\s/u.test(ch) ? SPACE : OTHER;
}

// Class of the code point at i; its width in UTF-16 code units is left in `width`.
let width = 1;
function classAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  width = 1;
  if (c < 128) return ascii[c];
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) {
      width = 2;
      const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
      let k = astral.get(cp);
      if (k === undefined) astral.set(cp, (k = classify(String.fromCodePoint(cp))));
      return k;
    }
  }
  let k = bmp[c];
  if (k === 255) bmp[c] = k = classify(String.fromCharCode(c)); // a lone surrogate is OTHER, as in the regex
  return k;
}

function runEnd(s: string, i: number, cls: number): number {
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 128) {
      if (ascii[c] !== cls) break;
      i++;
    } else {
      if (classAt(s, i) !== cls) break;
      i += width;
    }
  }
  return i;
}

/** End (exclusive) of the GPT-2 chunk that starts at i (i < s.length). */
export function gpt2ChunkEnd(s: string, i: number): number {
  const n = s.length;
  const c = s.charCodeAt(i);
  if (c === 39 /* ' */ && i + 1 < n) {
    const d = s.charCodeAt(i + 1);
    if (d === 115 || d === 116 || d === 109 || d === 100) return i + 2; // 's 't 'm 'd
    if (i + 2 < n) {
      const e = s.charCodeAt(i + 2);
      if ((d === 114 && e === 101) || (d === 118 && e === 101) || (d === 108 && e === 108)) return i + 3; // 're 've 'll
    }
  }
  const cls = classAt(s, i);
  if (cls !== SPACE) return runEnd(s, i + width, cls);
  if (c === 32 && i + 1 < n) {
    const next = classAt(s, i + 1); // " ?X+": a single space joins the run after it
    if (next !== SPACE) return runEnd(s, i + 1 + width, next);
  }
  // \s+(?!\S) then \s+: a whitespace run, less its last char when a non-space follows
  // (that char then starts the next chunk, e.g. " word"). Whitespace is all BMP.
  let j = i + 1;
  while (j < n && classAt(s, j) === SPACE) j++;
  return j === n || j - i === 1 ? j : j - 1;
}

/** The GPT-2 chunks of s (same as s.match(GPT-2 regex)). */
export function gpt2Chunks(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; ) {
    const j = gpt2ChunkEnd(s, i);
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}
