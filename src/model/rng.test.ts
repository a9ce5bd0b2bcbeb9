import seedrandom from "seedrandom";
import { aleaRng, boxMuller, gaussian, mulberry32, Random, Rng, sampleWithoutReplacement, shuffled } from "./rng";

test("Box-Muller: (r cos θ, r sin θ) with r = sqrt(-2 ln u1), θ = 2π u2; unit variance over many draws", () => {
  const [z0, z1] = boxMuller(0.25, 0.1);
  const r = Math.sqrt(-2 * Math.log(0.25)); // 1.6651
  expect(z0).toBeCloseTo(r * 0.809017, 5); // cos(36°)
  expect(z1).toBeCloseTo(r * 0.587785, 5); // sin(36°)
  const g = gaussian(mulberry32(1));
  const xs = Array.from({ length: 20000 }, g);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  expect(Math.abs(mean)).toBeLessThan(0.03);
  expect(Math.abs(variance - 1)).toBeLessThan(0.04);
});

test("aleaRng draws seedrandom's alea stream, normals two per pair of draws", () => {
  const ref = seedrandom.alea("5");
  const rng = aleaRng(5);
  expect(rng.uniform()).toBe(ref());
  const [z0, z1] = boxMuller(ref(), ref());
  expect(rng.normal()).toBe(z0);
  expect(rng.normal()).toBe(z1); // the spare: no draw
  expect(rng.uniform()).toBe(ref());
});

test("Rng.normal is one Box-Muller value from (1 - u1, u2) of the sfc32 stream", () => {
  const a = new Rng(3);
  const b = new Rng(3);
  expect(a.normal()).toBe(boxMuller(1 - b.uniform(), b.uniform())[0]);
  expect(() => a.int(0)).toThrow(/positive integer bound/);
});

test("shuffled is Durstenfeld's Fisher-Yates: swap i with int(i + 1), from the end; input left alone", () => {
  const picks = [0, 2, 1]; // int(4), int(3), int(2)
  const bounds: number[] = [];
  const scripted: Random = { uniform: () => 0, normal: () => 0, int: (n) => (bounds.push(n), picks.shift()!) };
  const xs = ["a", "b", "c", "d"];
  // i=3 swaps with 0: d b c a; i=2 with 2: unchanged; i=1 with 1: unchanged.
  expect(shuffled(xs, scripted)).toEqual(["d", "b", "c", "a"]);
  expect(bounds).toEqual([4, 3, 2]);
  expect(xs).toEqual(["a", "b", "c", "d"]);
  const perm = shuffled([...Array(100).keys()], new Rng(1));
  expect([...perm].sort((p, q) => p - q)).toEqual([...Array(100).keys()]);
  expect(sampleWithoutReplacement([1, 2, 3], 2, aleaRng(0))).toHaveLength(2);
  expect(() => sampleWithoutReplacement([1], 2, aleaRng(0))).toThrow(/asked for 2 of 1/);
});
