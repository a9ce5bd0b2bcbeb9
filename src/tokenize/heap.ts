// A binary min-heap of (primary, secondary, payload) in typed arrays, ordered by primary then
// secondary. Both BPE loops use it with lazy deletion: stale entries are skipped on pop.

export class MinHeap {
  private p: Float64Array;
  private s: Float64Array;
  private v: Int32Array;
  size = 0;

  constructor(capacity = 64) {
    this.p = new Float64Array(capacity);
    this.s = new Float64Array(capacity);
    this.v = new Int32Array(capacity);
  }

  clear(): void {
    this.size = 0;
  }

  private less(i: number, j: number): boolean {
    return this.p[i] < this.p[j] || (this.p[i] === this.p[j] && this.s[i] < this.s[j]);
  }

  private swap(i: number, j: number): void {
    const { p, s, v } = this;
    const tp = p[i],
      ts = s[i],
      tv = v[i];
    p[i] = p[j];
    s[i] = s[j];
    v[i] = v[j];
    p[j] = tp;
    s[j] = ts;
    v[j] = tv;
  }

  push(primary: number, secondary: number, payload: number): void {
    if (this.size === this.p.length) {
      const grow = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.p = grow(this.p, (n) => new Float64Array(n));
      this.s = grow(this.s, (n) => new Float64Array(n));
      this.v = grow(this.v, (n) => new Int32Array(n));
    }
    let i = this.size++;
    this.p[i] = primary;
    this.s[i] = secondary;
    this.v[i] = payload;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!this.less(i, up)) break;
      this.swap(i, up);
      i = up;
    }
  }

  /** The smallest entry's fields (valid until the next push/pop). */
  topPrimary(): number {
    return this.p[0];
  }
  topSecondary(): number {
    return this.s[0];
  }
  topPayload(): number {
    return this.v[0];
  }

  pop(): void {
    const last = --this.size;
    if (last === 0) return;
    this.p[0] = this.p[last];
    this.s[0] = this.s[last];
    this.v[0] = this.v[last];
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= last) break;
      const c = l + 1 < last && this.less(l + 1, l) ? l + 1 : l;
      if (!this.less(c, i)) break;
      this.swap(i, c);
      i = c;
    }
  }
}
