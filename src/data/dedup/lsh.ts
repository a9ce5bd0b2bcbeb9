// Locality-sensitive hashing over MinHash signatures (Indyk & Motwani 1998; Leskovec,
// Rajaraman & Ullman, "Mining of Massive Datasets" ch. 3.4): cut the k-long signature into
// b bands of r rows; two documents become candidates when any band matches exactly, which
// happens with probability P(s) = 1 - (1 - s^r)^b for Jaccard s: an S-curve around t.

/** Composite Simpson's rule; the integrands here are smooth polynomials in s. */
export function integrate(f: (x: number) => number, a: number, b: number, intervals = 1000): number {
  const h = (b - a) / intervals;
  let sum = f(a) + f(b);
  for (let i = 1; i < intervals; i++) sum += f(a + i * h) * (i % 2 ? 4 : 2);
  return (sum * h) / 3;
}

/** Area under P(s) below the threshold: pairs under t that still become candidates. */
export function falsePositiveProbability(threshold: number, b: number, r: number): number {
  return integrate((s) => 1 - Math.pow(1 - Math.pow(s, r), b), 0, threshold);
}

/** Area above P(s) over the threshold: pairs at or over t that never become candidates. */
export function falseNegativeProbability(threshold: number, b: number, r: number): number {
  return integrate((s) => Math.pow(1 - Math.pow(s, r), b), threshold, 1);
}

export interface LshParams {
  bands: number;
  rows: number;
  falsePositive: number;
  falseNegative: number;
}

/**
 * datasketch's `_optimal_param` (datasketch/lsh.py, MinHashLSH), reimplemented: search
 * every (b, r) with b*r <= numPerm and minimise the weighted sum of the false-positive and
 * false-negative areas above. datasketch integrates with scipy.integrate.quad; we use
 * Simpson's rule (the test checks both give the same (b, r)).
 */
export function optimalParam(threshold: number, numPerm: number, fpWeight = 0.5, fnWeight = 0.5): LshParams {
  if (!(threshold > 0 && threshold < 1)) throw new Error(`optimalParam: threshold must be in (0, 1), got ${threshold}`);
  let best: LshParams = { bands: 0, rows: 0, falsePositive: 0, falseNegative: 0 };
  let minError = Infinity;
  for (let b = 1; b <= numPerm; b++) {
    for (let r = 1; r <= Math.floor(numPerm / b); r++) {
      const fp = falsePositiveProbability(threshold, b, r);
      const fn = falseNegativeProbability(threshold, b, r);
      const error = fp * fpWeight + fn * fnWeight;
      if (error < minError) {
        minError = error;
        best = { bands: b, rows: r, falsePositive: fp, falseNegative: fn };
      }
    }
  }
  return best;
}

/** Band hash tables: key = band index + the r rows of the signature. */
export class MinHashLSH<K> {
  private readonly tables: Map<string, K[]>[];
  constructor(
    readonly bands: number,
    readonly rows: number,
  ) {
    this.tables = Array.from({ length: bands }, () => new Map<string, K[]>());
  }

  private bandKey(sig: Uint32Array, band: number): string {
    const start = band * this.rows;
    // Rows as a string: exact, collision-free keys; Map hashes strings well.
    return String.fromCharCode(...new Uint16Array(sig.buffer, sig.byteOffset + start * 4, this.rows * 2));
  }

  insert(key: K, sig: Uint32Array): void {
    if (sig.length < this.bands * this.rows)
      throw new Error(
        `MinHashLSH.insert: signature has ${sig.length} values, need bands*rows = ${this.bands * this.rows}`,
      );
    for (let b = 0; b < this.bands; b++) {
      const k = this.bandKey(sig, b);
      const bucket = this.tables[b].get(k);
      if (bucket) bucket.push(key);
      else this.tables[b].set(k, [key]);
    }
  }

  /** Every stored key sharing at least one band with `sig` (candidates, not yet verified). */
  query(sig: Uint32Array): Set<K> {
    const out = new Set<K>();
    for (let b = 0; b < this.bands; b++) {
      const bucket = this.tables[b].get(this.bandKey(sig, b));
      if (bucket) for (const k of bucket) out.add(k);
    }
    return out;
  }
}
