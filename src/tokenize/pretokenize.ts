// Hand-written scanners equal to the GPT-2 and GPT-4 split regexes (patterns.ts). Why by hand:
// pre-splitting is most of the time of a cached BPE encoder, and running the regex (plus one
// match object and substring per chunk) is several times slower than one pass over char codes.
// Classes of non-ASCII characters come from the same \p{L}, \p{N} and \s the regexes use, so
// both agree on every string (patterns.test.ts checks this on our corpora and on random strings
// of tricky characters).

const OTHER = 0,
  LETTER = 1,
  NUMBER = 2,
  SPACE = 3;

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

/** End (exclusive) of the GPT-2 chunk that starts at i (i < s.length):
 *  's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+ */
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
  for (let i = 0; i < s.length;) {
    const j = gpt2ChunkEnd(s, i);
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

const isCrLf = (c: number): boolean => c === 10 || c === 13;
const lower = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);

/** End of the run "O+[\r\n]*" that starts at i (alternative ` ?[^\s\p{L}\p{N}]+[\r\n]*`). */
function otherRunEnd(s: string, i: number): number {
  let j = runEnd(s, i, OTHER);
  while (j < s.length && isCrLf(s.charCodeAt(j))) j++;
  return j;
}

/** End (exclusive) of the GPT-4 (cl100k) chunk that starts at i (i < s.length), alternatives in order:
 *  '(?:[sS]|[dD]|[mM]|[tT]|[lL][lL]|[vV][eE]|[rR][eE]) | [^\r\n\p{L}\p{N}]?\p{L}+ | \p{N}{1,3} |
 *  ' ?[^\s\p{L}\p{N}]+[\r\n]*' | \s+$ | \s*[\r\n] | \s+(?!\S) | \s */
export function gpt4ChunkEnd(s: string, i: number): number {
  const n = s.length;
  const c = s.charCodeAt(i);
  if (c === 39 /* ' */ && i + 1 < n) {
    const d = lower(s.charCodeAt(i + 1));
    if (d === 115 || d === 100 || d === 109 || d === 116) return i + 2; // 's 'd 'm 't
    if (i + 2 < n) {
      const e = lower(s.charCodeAt(i + 2));
      if ((d === 108 && e === 108) || (d === 118 && e === 101) || (d === 114 && e === 101)) return i + 3; // 'll 've 're
    }
  }
  const cls = classAt(s, i);
  const w = width;
  if (cls === LETTER) return runEnd(s, i + w, LETTER);
  if (cls === NUMBER) {
    let j = i + w;
    for (let k = 1; k < 3 && j < n && classAt(s, j) === NUMBER; k++) j += width;
    return j;
  }
  // One non-letter, non-digit char (not \r or \n) may lead a run of letters.
  if (!isCrLf(c) && i + w < n && classAt(s, i + w) === LETTER) return runEnd(s, i + w + width, LETTER);
  if (cls === OTHER) return otherRunEnd(s, i + w);
  if (c === 32 && i + 1 < n && classAt(s, i + 1) === OTHER) return otherRunEnd(s, i + 1);
  // Whitespace run [i, j): to the end of text; else through its last \r or \n; else all but its
  // last char (which may lead the next chunk); else one char.
  let j = i + 1;
  let lastNewline = isCrLf(c) ? i : -1;
  while (j < n && classAt(s, j) === SPACE) {
    if (isCrLf(s.charCodeAt(j))) lastNewline = j;
    j++;
  }
  if (j === n) return n;
  if (lastNewline >= 0) return lastNewline + 1;
  return j - i > 1 ? j - 1 : i + 1;
}

/** The GPT-4 chunks of s (same as s.match(GPT-4 regex)). */
export function gpt4Chunks(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length;) {
    const j = gpt4ChunkEnd(s, i);
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}
