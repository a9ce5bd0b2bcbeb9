// A hash map from a pair of token ids (a, b) to an int, in typed arrays. BPE looks pairs up
// in its innermost loop; a JS Map keyed by a * V + b would need heap numbers past 2^30
// (V = 50257 already), which are several times slower than this open addressing table.

export class PairMap {
  private keysA: Int32Array;
  private keysB: Int32Array;
  private vals: Int32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    let cap = 16;
    while (cap < capacity * 2) cap <<= 1;
    this.keysA = new Int32Array(cap).fill(-1);
    this.keysB = new Int32Array(cap);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
  }

  private slot(a: number, b: number): number {
    // Multiplicative hashing of both halves; linear probing.
    let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b)) & this.mask;
    const ka = this.keysA;
    const kb = this.keysB;
    while (ka[h] !== -1 && (ka[h] !== a || kb[h] !== b)) h = (h + 1) & this.mask;
    return h;
  }

  /** Value stored for (a, b), or -1. */
  get(a: number, b: number): number {
    const h = this.slot(a, b);
    return this.keysA[h] === -1 ? -1 : this.vals[h];
  }

  set(a: number, b: number, v: number): void {
    const h = this.slot(a, b);
    if (this.keysA[h] === -1) {
      this.keysA[h] = a;
      this.keysB[h] = b;
      this.size++;
    }
    this.vals[h] = v;
    if (this.size * 2 > this.mask) this.grow();
  }

  private grow(): void {
    const { keysA, keysB, vals } = this;
    const cap = (this.mask + 1) * 2;
    this.keysA = new Int32Array(cap).fill(-1);
    this.keysB = new Int32Array(cap);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
    this.size = 0;
    for (let i = 0; i < keysA.length; i++) if (keysA[i] !== -1) this.set(keysA[i], keysB[i], vals[i]);
  }
}
