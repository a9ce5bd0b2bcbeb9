// Byte-level BPE tokenizer (GPT-2 style): UTF-8 bytes, a regex pre-split, then ranked merges.
import { writeJSONAtomic } from "./atomic";
import { utf8Decode, utf8Encode, utf8Into } from "./bytes";
import { HFTokenizerJSON, toHFTokenizerJSON } from "./hf";
import { ChunkCache } from "./chunkcache";
import { mergeChunk } from "./merge";
import { PairMap } from "./pairmap";
import { compileSplit, GPT2_SPLIT_PATTERN, GPT4_SPLIT_PATTERN } from "./patterns";
import { gpt2ChunkEnd, gpt4ChunkEnd } from "./pretokenize";
import { checkIds, EncodeOptions, splitSpecial, Tokenizer } from "./types";

/** Bytes as a string of chars 0-255: a Map key for a byte string. */
const latin1 = (b: Uint8Array): string =>
  b.length <= 1024 ? String.fromCharCode.apply(null, b as unknown as number[]) : Buffer.from(b).toString("latin1");

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Cached chunk encodings beyond the whole-token entries; past this the cache is reset. */
const CACHE_LIMIT = 100_000;

export interface BPEData {
  /** id -> bytes, for every non-special id (special ids may be holes). */
  tokens: (Uint8Array | undefined)[];
  /** Pre-split regex (JavaScript syntax, compiled with the `u` flag). */
  pattern: string;
  specialTokens?: Record<string, number>;
  /** Chunks cached beyond the whole-token entries before the cache is reset (default 100,000). */
  cacheLimit?: number;
}

export class BPETokenizer implements Tokenizer {
  readonly type = "bpe";
  readonly tokens: (Uint8Array | undefined)[];
  readonly pattern: string;
  readonly specialTokens: Readonly<Record<string, number>>;
  readonly vocabSize: number;
  /** (left, right) -> merge index m; mergeRank[m] its priority (lower first), mergeTarget[m] the id made. */
  private readonly pairs: PairMap;
  private mergeRank = new Int32Array(0);
  private mergeTarget = new Int32Array(0);
  /** id -> rank of the first merge that makes it (for recovering merges). */
  private readonly tokenRank: Int32Array;
  private readonly byteToId = new Int32Array(256).fill(-1);
  private readonly bytesToId = new Map<string, number>();
  private readonly splitRe: RegExp;
  /** A hand-written scanner equal to the split regex, when there is one. */
  private readonly chunkEnd?: (s: string, i: number) => number;
  private merges?: Array<[number, number]>;
  /** Chunk text -> id for every token (tiktoken's shortcut; ranks semantics only). */
  private wholes = new Map<string, number>();
  private cache: ChunkCache;
  private readonly cacheLimit: number;
  private scratchBytes = new Uint8Array(1024);
  private scratchIds = new Int32Array(1024);

  private constructor(data: BPEData) {
    this.tokens = data.tokens;
    this.cacheLimit = data.cacheLimit ?? CACHE_LIMIT;
    this.pattern = data.pattern;
    this.splitRe = compileSplit(data.pattern);
    this.chunkEnd =
      data.pattern === GPT2_SPLIT_PATTERN
        ? gpt2ChunkEnd
        : data.pattern === GPT4_SPLIT_PATTERN
          ? gpt4ChunkEnd
          : undefined;
    this.specialTokens = Object.freeze({ ...(data.specialTokens ?? {}) });
    let size = data.tokens.length;
    for (const [text, id] of Object.entries(this.specialTokens)) {
      if (!Number.isInteger(id) || id < 0)
        throw new Error(`special token ${JSON.stringify(text)}: id ${id} is not a non-negative integer`);
      if (data.tokens[id] !== undefined)
        throw new Error(`special token ${JSON.stringify(text)}: id ${id} is already the id of an ordinary token`);
      size = Math.max(size, id + 1);
    }
    this.vocabSize = size;
    this.tokenRank = new Int32Array(size).fill(0x7fffffff);
    this.pairs = new PairMap(size * 2);
    data.tokens.forEach((b, id) => {
      if (!b) return;
      if (b.length === 1) this.byteToId[b[0]] = id;
      this.bytesToId.set(latin1(b), id);
    });
    for (let b = 0; b < 256; b++)
      if (this.byteToId[b] < 0)
        throw new Error(`BPE vocabulary has no token for byte ${b}: a byte-level vocabulary needs all 256`);
    this.cache = this.freshCache();
  }

  /** A cache holding the whole-token entries, with room for cacheLimit more. */
  private freshCache(): ChunkCache {
    const c = new ChunkCache(this.wholes.size + this.cacheLimit);
    for (const [k, v] of this.wholes) c.set(k, v);
    return c;
  }

  /** Register pairs from a flat list [a, b, id, rank, ...]; the first registration of a pair wins. */
  private addPairs(list: readonly number[]): void {
    const rank: number[] = [];
    const target: number[] = [];
    for (let q = 0; q < list.length; q += 4) {
      const a = list[q],
        b = list[q + 1],
        id = list[q + 2],
        r = list[q + 3];
      if (this.pairs.get(a, b) >= 0) continue;
      this.pairs.set(a, b, rank.length);
      rank.push(r);
      target.push(id);
      if (this.tokenRank[id] > r) this.tokenRank[id] = r;
    }
    this.mergeRank = Int32Array.from(rank);
    this.mergeTarget = Int32Array.from(target);
  }

  /** minbpe / Hugging Face semantics: merges[i] = [left, right] has rank i; only listed pairs
   *  merge, into the token whose bytes are left's + right's. */
  static fromMerges(data: BPEData & { merges: Array<[number, number]> }): BPETokenizer {
    const t = new BPETokenizer(data);
    const list: number[] = [];
    data.merges.forEach(([a, b], i) => {
      const left = data.tokens[a];
      const right = data.tokens[b];
      if (!left || !right) throw new Error(`merge ${i} (${a}, ${b}): id not in the vocabulary`);
      const id = t.bytesToId.get(latin1(left) + latin1(right));
      if (id === undefined)
        throw new Error(`merge ${i} (${a}, ${b}): the merged bytes are not a token of the vocabulary`);
      list.push(a, b, id, i);
    });
    t.addPairs(list);
    t.merges = data.merges.map(([a, b]) => [a, b]);
    return t;
  }

  /**
   * tiktoken semantics (GPT-2's r50k, cl100k): a token's id is its rank, and any two adjacent
   * parts whose bytes concatenate to a token merge at that token's rank. So every split of
   * every token into two tokens is a pair; this is what makes us id-for-id equal to tiktoken.
   */
  static fromRanks(data: BPEData): BPETokenizer {
    const t = new BPETokenizer(data);
    // tiktoken's shortcut: a chunk whose text is exactly one token is that token, without BPE.
    // (With listed merges, as in minbpe and Hugging Face, BPE might not rebuild such a token,
    // so fromMerges does not take it; its cache fills as chunks are met.)
    data.tokens.forEach((b, id) => {
      if (!b) return;
      try {
        t.wholes.set(strictUtf8.decode(b), id); // ignoreBOM: "\uFEFF\n" is a token of its own
      } catch {
        /* not valid UTF-8 on its own: cannot be a whole chunk */
      }
    });
    t.cache = t.freshCache();
    // A byte trie of all tokens (child(node, byte) -> node; tokenAt[node] -> id or -1) finds the
    // splits with integer lookups; slicing and hashing every prefix string was 10x slower.
    const child = new PairMap(data.tokens.length * 4);
    const tokenAt: number[] = [-1];
    data.tokens.forEach((b, id) => {
      if (!b) return;
      let node = 0;
      for (let k = 0; k < b.length; k++) {
        let next = child.get(node, b[k]);
        if (next < 0) {
          next = tokenAt.length;
          tokenAt.push(-1);
          child.set(node, b[k], next);
        }
        node = next;
      }
      tokenAt[node] = id;
    });
    const list: number[] = [];
    data.tokens.forEach((b, id) => {
      if (!b || b.length < 2) return;
      let node = 0;
      for (let k = 0; k < b.length - 1; k++) {
        node = child.get(node, b[k]);
        const left = tokenAt[node];
        if (left < 0) continue;
        let m = 0;
        for (let j = k + 1; j < b.length && m >= 0; j++) m = child.get(m, b[j]);
        const right = m >= 0 ? tokenAt[m] : -1;
        if (right >= 0) list.push(left, right, id, id);
      }
    });
    t.addPairs(list);
    return t;
  }

  /** Ranked merges (left, right), the form tokenizer.json stores. For a rank-based vocabulary
   *  they are recovered as minbpe does: BPE on each token's bytes using only lower ranks
   *  leaves exactly two parts. */
  getMerges(): Array<[number, number]> {
    if (this.merges) return this.merges;
    const merged = this.tokens.map((b, id) => id).filter((id) => this.tokens[id] && this.tokens[id]!.length > 1);
    merged.sort((x, y) => this.tokenRank[x] - this.tokenRank[y]);
    const out: Array<[number, number]> = [];
    for (const id of merged) {
      const b = this.tokens[id]!;
      const ids = Int32Array.from(b, (x) => this.byteToId[x]);
      const n = mergeChunk(ids, ids.length, this.pairs, this.mergeRank, this.mergeTarget, this.tokenRank[id]);
      if (n !== 2) throw new Error(`cannot recover a merge for token ${id}: BPE below its rank leaves ${n} parts`);
      out.push([ids[0], ids[1]]);
    }
    return (this.merges = out);
  }

  /** Id of a byte string, or undefined. */
  idOfBytes(b: Uint8Array): number | undefined {
    return this.bytesToId.get(latin1(b));
  }

  /** Id of a single byte. */
  idOfByte(b: number): number {
    return this.byteToId[b];
  }

  encode(text: string, opts?: EncodeOptions): number[] {
    const out: number[] = [];
    if (opts?.allowedSpecial === undefined || opts.allowedSpecial === "none") {
      this.encodeOrdinary(text, out);
      return out;
    }
    for (const seg of splitSpecial(text, this.specialTokens, opts.allowedSpecial)) {
      if ("special" in seg) out.push(seg.special);
      else this.encodeOrdinary(seg.text, out);
    }
    return out;
  }

  private encodeOrdinary(text: string, out: number[]): void {
    const chunkEnd = this.chunkEnd;
    if (chunkEnd) {
      for (let i = 0, n = text.length; i < n;) {
        const j = chunkEnd(text, i);
        this.encodeChunk(text, i, j, out);
        i = j;
      }
      return;
    }
    const re = this.splitRe;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text))
      this.encodeChunk(text, m.index, m.index + m[0].length, out);
  }

  /** Encode text[start, end), one pre-split chunk. */
  private encodeChunk(text: string, start: number, end: number, out: number[]): void {
    const hit = this.cache.get(text, start, end);
    if (hit !== undefined) {
      if (typeof hit === "number") out.push(hit);
      else for (let k = 0; k < hit.length; k++) out.push(hit[k]);
      return;
    }
    const len = end - start;
    if (this.scratchBytes.length < len * 3) {
      this.scratchBytes = new Uint8Array(len * 6);
      this.scratchIds = new Int32Array(len * 6);
    }
    const bytes = this.scratchBytes;
    const ids = this.scratchIds;
    const nb = utf8Into(text, start, end, bytes);
    for (let k = 0; k < nb; k++) ids[k] = this.byteToId[bytes[k]];
    const n = mergeChunk(ids, nb, this.pairs, this.mergeRank, this.mergeTarget);
    const res = ids.slice(0, n);
    for (let k = 0; k < n; k++) out.push(res[k]);
    if (this.cache.full) this.cache = this.freshCache();
    this.cache.set(text.slice(start, end), n === 1 ? res[0] : res);
  }

  /** Bytes of ids (special tokens as their UTF-8 text). */
  decodeBytes(ids: readonly number[]): Uint8Array {
    checkIds(ids, this.vocabSize, "BPETokenizer");
    const parts: Uint8Array[] = [];
    let len = 0;
    for (const id of ids) {
      const b = this.tokens[id] ?? this.specialBytes(id);
      parts.push(b);
      len += b.length;
    }
    const out = new Uint8Array(len);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  /** Text of ids; bytes that are not valid UTF-8 (a split multi-byte char) become U+FFFD. */
  decode(ids: readonly number[]): string {
    return utf8Decode(this.decodeBytes(ids));
  }

  private specialBytes(id: number): Uint8Array {
    for (const [text, sid] of Object.entries(this.specialTokens)) if (sid === id) return utf8Encode(text);
    throw new Error(`BPETokenizer.decode: id ${id} is neither a token nor a special token`);
  }

  /** The token's text; a token that is not whole UTF-8 (part of a character) as its bytes, "<0xE4><0xB8>". */
  tokenText(id: number): string {
    checkIds([id], this.vocabSize, "BPETokenizer");
    const b = this.tokens[id];
    if (!b) return utf8Decode(this.specialBytes(id));
    try {
      return strictUtf8.decode(b);
    } catch {
      return Array.from(b, (x) => `<0x${x.toString(16).toUpperCase().padStart(2, "0")}>`).join("");
    }
  }

  save(file: string): void {
    writeJSONAtomic(file, this.toJSON());
  }

  toJSON(): HFTokenizerJSON {
    return toHFTokenizerJSON(this);
  }
}
