// Random contiguous windows of a token stream, as nanoGPT's get_batch: pick B random
// starts, x = tokens[i : i+T], y = tokens[i+1 : i+T+1]. Over several shards a shard is chosen
// in proportion to the windows it holds, so every window is equally likely.
import { Rng, RngState } from "../model/rng";

export type Tokens = Int32Array | Uint16Array | Uint8Array | number[];

export interface Batch {
  x: Int32Array; // [B*T], row-major
  y: Int32Array;
  batchSize: number;
  blockSize: number;
}

export class BatchSampler {
  private readonly shards: Tokens[];
  private readonly cumWindows: number[];
  private rng: Rng;

  constructor(
    shards: Tokens | Tokens[],
    readonly batchSize: number,
    readonly blockSize: number,
    seed: number | RngState = 0,
  ) {
    const list = isShardList(shards) ? shards : [shards];
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new Error(`BatchSampler: batchSize must be a positive integer, got ${batchSize}`);
    if (!Number.isInteger(blockSize) || blockSize < 1)
      throw new Error(`BatchSampler: blockSize must be a positive integer, got ${blockSize}`);
    // A shard of n tokens holds n - blockSize windows (the target needs one token more).
    this.shards = list.filter((s) => s.length > blockSize);
    let total = 0;
    this.cumWindows = this.shards.map((s) => (total += s.length - blockSize));
    if (total === 0) {
      const longest = Math.max(0, ...list.map((s) => s.length));
      throw new Error(
        `BatchSampler: need a shard longer than blockSize ${blockSize} tokens; the longest has ${longest}`,
      );
    }
    this.rng = new Rng(seed);
  }

  get windows(): number {
    return this.cumWindows[this.cumWindows.length - 1];
  }

  next(): Batch {
    const { batchSize: B, blockSize: T } = this;
    const x = new Int32Array(B * T);
    const y = new Int32Array(B * T);
    for (let b = 0; b < B; b++) {
      let w = this.rng.int(this.windows);
      let s = 0;
      while (w >= this.cumWindows[s]) s++;
      if (s > 0) w -= this.cumWindows[s - 1];
      const shard = this.shards[s];
      for (let t = 0; t < T; t++) {
        x[b * T + t] = shard[w + t];
        y[b * T + t] = shard[w + t + 1];
      }
    }
    return { x, y, batchSize: B, blockSize: T };
  }

  /** The Rng state: restoring it makes the sampler draw the same batches again. */
  state(): RngState {
    return this.rng.state();
  }

  setState(s: RngState): void {
    this.rng = new Rng(s);
  }
}

function isShardList(s: Tokens | Tokens[]): s is Tokens[] {
  return Array.isArray(s) && (s.length === 0 || typeof s[0] !== "number");
}
