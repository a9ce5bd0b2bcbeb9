// A hash table from text chunks to their token ids that is looked up by (text, start, end), so
// the encoder never allocates a substring for a chunk it has seen: with GPT-2's split most chunks
// are repeats (" the", ","), and slicing + hashing a fresh string per chunk was the encoder's
// largest cost after the split itself.

export type ChunkValue = number | Int32Array;

export class ChunkCache {
  private keys: (string | undefined)[];
  private hashes: Int32Array;
  private values: (ChunkValue | undefined)[];
  private mask: number;
  size = 0;

  constructor(private readonly capacity: number) {
    let cap = 16;
    while (cap < capacity * 2) cap <<= 1;
    this.keys = new Array(cap);
    this.hashes = new Int32Array(cap);
    this.values = new Array(cap);
    this.mask = cap - 1;
  }

  /** Room left before the table is at its planned capacity. */
  get full(): boolean {
    return this.size >= this.capacity;
  }

  private static hash(s: string, start: number, end: number): number {
    let h = 0x811c9dc5 ^ (end - start); // FNV-1a over UTF-16 code units
    for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    return h;
  }

  get(s: string, start: number, end: number): ChunkValue | undefined {
    const h = ChunkCache.hash(s, start, end);
    const len = end - start;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const k = this.keys[slot];
      if (k === undefined) return undefined;
      if (this.hashes[slot] === h && k.length === len) {
        let i = 0;
        while (i < len && k.charCodeAt(i) === s.charCodeAt(start + i)) i++;
        if (i === len) return this.values[slot];
      }
    }
  }

  set(key: string, value: ChunkValue): void {
    const h = ChunkCache.hash(key, 0, key.length);
    let slot = h & this.mask;
    while (this.keys[slot] !== undefined && this.keys[slot] !== key) slot = (slot + 1) & this.mask;
    if (this.keys[slot] === undefined) this.size++;
    this.keys[slot] = key;
    this.hashes[slot] = h;
    this.values[slot] = value;
  }
}
