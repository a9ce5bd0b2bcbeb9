// Seeded randomness shared by eval and synthetic: every sampled number in these steps must be
// reproducible from a seed, so nothing here touches Math.random.
import seedrandom from "seedrandom";

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal draw (Box-Muller). */
  normal(): number;
}

export function makeRng(seed: number | string): Rng {
  // seedrandom's alea: fast, well-tested, and identical across platforms for a given seed.
  const u = seedrandom.alea(String(seed));
  let spare: number | null = null;
  return {
    next: () => u(),
    int(n: number): number {
      if (!Number.isInteger(n) || n <= 0) throw new RangeError(`rng.int: n must be a positive integer, got ${n}`);
      return Math.floor(u() * n);
    },
    normal(): number {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let r1 = u();
      while (r1 === 0) r1 = u();
      const r = Math.sqrt(-2 * Math.log(r1));
      const theta = 2 * Math.PI * u();
      spare = r * Math.sin(theta);
      return r * Math.cos(theta);
    },
  };
}

/** Fisher-Yates shuffle of a copy. */
export function shuffled<T>(xs: readonly T[], rng: Rng): T[] {
  const out = xs.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** k distinct elements, in random order. */
export function sampleWithoutReplacement<T>(xs: readonly T[], k: number, rng: Rng): T[] {
  if (k > xs.length) throw new RangeError(`sampleWithoutReplacement: asked for ${k} of ${xs.length} items`);
  return shuffled(xs, rng).slice(0, k);
}
