// Seeded randomness for the whole course: nothing draws from Math.random, so every sampled
// number is reproducible from a seed. One interface (Random: uniform, int, normal), one
// Box-Muller, one Fisher-Yates; three generators, each kept for the streams that depend on it:
// - Rng, sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, PractRand-clean), whose whole
//   state is four 32-bit words, so a checkpoint can store it and a resumed run draws exactly the
//   same numbers (tfjs' internal seedrandom state is not exportable). Model init, batches, dropout
//   seeds, sampling, LoRA init, fine-tuning order.
// - aleaRng, seedrandom's alea: the evaluation and synthetic-data steps, whose published metrics
//   (bootstrap intervals, simulated ratings, probe samples) were measured on its streams.
// - mulberry32 (Tommy Ettinger), one word of state: seeded test and demo data (quantisation's
//   synthetic matrices, the backend's checks).
import seedrandom from "seedrandom";

/** A seeded source of random numbers. */
export interface Random {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal. */
  normal(): number;
}

export type RngState = [number, number, number, number];

export class Rng implements Random {
  private s: Uint32Array;

  constructor(seed: number | RngState = 0) {
    this.s = new Uint32Array(4);
    if (Array.isArray(seed)) {
      if (seed.length !== 4 || seed.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)) {
        throw new Error(`Rng state: expected four unsigned 32-bit integers, got ${JSON.stringify(seed)}`);
      }
      this.s.set(seed);
    } else {
      if (!Number.isFinite(seed)) throw new Error(`Rng seed: expected a finite number, got ${seed}`);
      // splitmix32 spreads a small integer seed over the state; then warm up.
      let z = seed >>> 0;
      for (let i = 0; i < 4; i++) {
        z = (z + 0x9e3779b9) >>> 0;
        let t = z;
        t = Math.imul(t ^ (t >>> 16), 0x85ebca6b) >>> 0;
        t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35) >>> 0;
        this.s[i] = (t ^ (t >>> 16)) >>> 0;
      }
      for (let i = 0; i < 12; i++) this.nextUint32();
    }
  }

  nextUint32(): number {
    const s = this.s;
    const t = (s[0] + s[1] + s[3]) >>> 0;
    s[3] = (s[3] + 1) >>> 0;
    s[0] = s[1] ^ (s[1] >>> 9);
    s[1] = (s[2] + (s[2] << 3)) >>> 0;
    s[2] = ((s[2] << 21) | (s[2] >>> 11)) >>> 0;
    s[2] = (s[2] + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return randomInt(this.uniform(), n);
  }

  /** Standard normal (one Box-Muller value per call keeps the state four words). */
  normal(): number {
    return gaussian(() => this.uniform())();
  }

  state(): RngState {
    return [this.s[0], this.s[1], this.s[2], this.s[3]];
  }
}

/** mulberry32: a one-word seeded uniform [0, 1) sampler, for test data where no state needs saving. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** alea (seedrandom): Box-Muller values come in pairs, the second kept for the next call. */
export function aleaRng(seed: number | string): Random {
  const u = seedrandom.alea(String(seed));
  let spare: number | null = null;
  return {
    uniform: () => u(),
    int: (n) => randomInt(u(), n),
    normal(): number {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u1 = u();
      while (u1 === 0) u1 = u();
      const [z0, z1] = boxMuller(u1, u());
      spare = z1;
      return z0;
    },
  };
}

/**
 * Box-Muller (1958): two independent standard normals from u1 in (0, 1] and u2 in [0, 1),
 * r = sqrt(-2 ln u1), theta = 2 pi u2 -> (r cos theta, r sin theta).
 */
export function boxMuller(u1: number, u2: number): [number, number] {
  const r = Math.sqrt(-2 * Math.log(u1));
  const theta = 2 * Math.PI * u2;
  return [r * Math.cos(theta), r * Math.sin(theta)];
}

/** Standard normals from a uniform [0, 1) sampler, one Box-Muller value per two draws. */
export function gaussian(uniform: () => number): () => number {
  return () => boxMuller(1 - uniform(), uniform())[0]; // 1 - u is in (0, 1]: log(0) never happens
}

function randomInt(u: number, n: number): number {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`random int: expected a positive integer bound, got ${n}`);
  return Math.floor(u * n);
}

/** Fisher-Yates (Durstenfeld's in-place form) on a copy. */
export function shuffled<T>(xs: readonly T[], rng: Random): T[] {
  const out = xs.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** k distinct elements, in random order. */
export function sampleWithoutReplacement<T>(xs: readonly T[], k: number, rng: Random): T[] {
  if (k > xs.length) throw new RangeError(`sampleWithoutReplacement: asked for ${k} of ${xs.length} items`);
  return shuffled(xs, rng).slice(0, k);
}
