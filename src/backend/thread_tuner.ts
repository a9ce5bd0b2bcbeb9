// How many threads the native addon's pool should use, decided from timings rather than the
// core count alone. On a quiet machine all cores win (the baby GPT's step: 36 ms on two, 57 on
// one); with another busy process beside it, one thread wins, narrowly (58.5 ms against 59.6 on
// two, 4 December 2026: three runnable threads then share two cores, and the second of ours gets
// little of its core). So the caller times a repeated call (the fused block's backward) and mostly runs it on
// the current choice, now and then on the other one; when the other's recent median is faster by
// a margin it switches. When the other is clearly slower it looks less and less often, so a quiet
// machine pays little for the looking. A look is two calls, of which only the second counts: the
// first on a new thread count runs on cold caches (the baby GPT's backward on one thread: ~10.7
// ms right after two threads, ~8.6 once warm), which would bias every look against switching.
// Results do not depend on the thread count (every sum is made in one order;
// src/model/block.test.ts), so switching never changes a training run.

export interface TunerOptions {
  /** Calls on the current choice between two looks at the other. */
  every: number;
  /** Looks at most this far apart when the other keeps losing clearly. */
  maxEvery: number;
  /** Timings kept per choice; a decision needs this many of each. */
  window: number;
  /** The other must be this much faster (fraction) to be switched to. */
  margin: number;
}

// A prime period, so that with a call per layer the looks rotate through the layers (the first
// layer of a step runs ~1 ms slower than the others, caches being cold after JavaScript).
const DEFAULTS: TunerOptions = { every: 29, maxEvery: 29 * 16, window: 5, margin: 0.05 };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

export class ThreadTuner {
  private current: number;
  private since = 0;
  /** Calls left in the current look at the other count (2 at its start, 0 between looks). */
  private looking = 0;
  private every: number;
  private readonly times = new Map<number, number[]>();

  /** Chooses between one thread and `all`, starting with `all`. */
  constructor(
    readonly all: number,
    private readonly opts: TunerOptions = DEFAULTS,
  ) {
    if (!(Number.isInteger(all) && all >= 1))
      throw new Error(`ThreadTuner: all must be a positive integer, got ${all}`);
    this.current = all;
    this.every = opts.every;
  }

  /** The choice other calls should use. */
  get choice(): number {
    return this.current;
  }

  /** Threads for the next timed call: the choice, or now and then the other one. */
  next(): number {
    if (this.looking === 0 && this.all > 1 && this.since >= this.every) this.looking = 2;
    return this.looking > 0 ? this.other() : this.current;
  }

  /** Records that a timed call on `threads` took `ms`. */
  record(threads: number, ms: number): void {
    if (threads !== this.current && --this.looking === 1) return; // the cold first call of a look
    const kept = this.times.get(threads) ?? [];
    kept.push(ms);
    if (kept.length > this.opts.window) kept.shift();
    this.times.set(threads, kept);
    if (threads === this.current) {
      this.since++;
      return;
    }
    this.since = 0;
    const mine = this.times.get(this.current) ?? [],
      theirs = kept;
    if (mine.length < this.opts.window || theirs.length < this.opts.window) return;
    const a = median(mine),
      b = median(theirs);
    if (b < a * (1 - this.opts.margin)) {
      this.current = threads;
      this.every = this.opts.every;
    } else if (b > a * (1 + 4 * this.opts.margin)) this.every = Math.min(2 * this.every, this.opts.maxEvery);
    else this.every = this.opts.every;
  }

  private other(): number {
    return this.current === 1 ? this.all : 1;
  }
}
