import { estimateJaccard, exactJaccard, MinHasher, shingleHashes } from "./dedup/minhash";
import { falseNegativeProbability, falsePositiveProbability, MinHashLSH, optimalParam } from "./dedup/lsh";

// Deterministic pseudo-random 32-bit values (mulberry32) for constructed sets.
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Two sets with |A∩B| = shared, |A\B| = |B\A| = own: Jaccard = shared / (shared + 2 own). */
function pair(shared: number, own: number, seed: number): [Uint32Array, Uint32Array] {
  const r = rng(seed),
    u = new Set<number>();
  while (u.size < shared + 2 * own) u.add(r());
  const all = [...u];
  return [
    Uint32Array.from(all.slice(0, shared + own)),
    Uint32Array.from([...all.slice(0, shared), ...all.slice(shared + own)]),
  ];
}

describe("MinHash", () => {
  const k = 256;
  const mh = new MinHasher(k, 42);
  test.each([[0.2], [0.5], [0.8], [0.95]])("estimate within 4 standard errors of J = %f on constructed pairs", (J) => {
    // shared / (shared + 2 own) = J with shared + 2 own = 1000
    const shared = Math.round(1000 * J),
      own = (1000 - shared) / 2;
    const se = Math.sqrt((J * (1 - J)) / k); // Broder: Var = J(1-J)/k
    for (let s = 0; s < 5; s++) {
      const [a, b] = pair(shared, own, 100 * s + 1);
      expect(exactJaccard(a, b)).toBeCloseTo(J, 10);
      expect(Math.abs(estimateJaccard(mh.signature(a), mh.signature(b)) - J)).toBeLessThanOrEqual(4 * se);
    }
  });
  test("estimates are unbiased: the mean of 20 estimates at J = 0.5 is within 0.02", () => {
    let sum = 0;
    for (let s = 0; s < 20; s++) {
      const [a, b] = pair(500, 250, 7 + s);
      sum += estimateJaccard(mh.signature(a), mh.signature(b));
    }
    expect(Math.abs(sum / 20 - 0.5)).toBeLessThan(0.02); // se of the mean = 0.031/sqrt(20) = 0.007
  });
  test("identical texts give identical signatures; disjoint give ~0", () => {
    const t = "the quick brown fox jumps over the lazy dog again and again";
    expect(estimateJaccard(mh.signatureOf(t), mh.signatureOf(t.toUpperCase() + "!"))).toBe(1);
    const [a, b] = pair(0, 500, 3);
    expect(estimateJaccard(mh.signature(a), mh.signature(b))).toBeLessThan(0.03);
  });
  test("shingles are word 5-grams: n words give n-4 shingles", () => {
    expect(shingleHashes("a b c d e f g").length).toBe(3);
    expect(shingleHashes("a b").length).toBe(1);
  });
});

describe("LSH parameters (datasketch _optimal_param)", () => {
  // Reference: datasketch's algorithm run with scipy.integrate.quad (scipy 1.17.1):
  // (0.8,128)->(9,13) (0.5,128)->(25,5) (0.9,256)->(9,28) (0.7,256)->(25,10) (0.8,256)->(17,15)
  test.each([
    [0.8, 128, 9, 13],
    [0.5, 128, 25, 5],
    [0.9, 256, 9, 28],
  ])("threshold %f, %i perms -> %i bands x %i rows", (t, k, b, r) => {
    const p = optimalParam(t, k);
    expect([p.bands, p.rows]).toEqual([b, r]);
  });
  test("integrals match scipy.quad to 1e-9", () => {
    expect(falsePositiveProbability(0.8, 9, 13)).toBeCloseTo(0.025311863203367216, 9);
    expect(falseNegativeProbability(0.8, 9, 13)).toBeCloseTo(0.033282136012204096, 9);
  });
  test("bad threshold is a clear error", () => {
    expect(() => optimalParam(1.2, 128)).toThrow(/threshold must be in \(0, 1\)/);
  });
  test("LSH returns a similar document as candidate and not an unrelated one", () => {
    const mh = new MinHasher(128, 1);
    const lsh = new MinHashLSH<string>(9, 13);
    const [a, b] = pair(950, 25, 11); // J = 0.95
    const [c] = pair(10, 500, 12);
    lsh.insert("a", mh.signature(a));
    lsh.insert("c", mh.signature(c));
    expect([...lsh.query(mh.signature(b))]).toEqual(["a"]);
  });
});
