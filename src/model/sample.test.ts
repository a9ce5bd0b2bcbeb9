import { samplingDistribution, sampleToken, Rng } from ".";

const logits = [0.5, 0.3, 0.15, 0.05].map(Math.log);

test("temperature 1 gives the softmax; temperature 0 is greedy", () => {
  const p = samplingDistribution(logits);
  [0.5, 0.3, 0.15, 0.05].forEach((v, i) => expect(p[i]).toBeCloseTo(v, 12));
  expect(Array.from(samplingDistribution(logits, { temperature: 0 }))).toEqual([1, 0, 0, 0]);
});

test("temperature 2 flattens: p_i proportional to sqrt(p_i)", () => {
  const s = [0.5, 0.3, 0.15, 0.05].map(Math.sqrt);
  const z = s.reduce((a, b) => a + b);
  const p = samplingDistribution(logits, { temperature: 2 });
  s.forEach((v, i) => expect(p[i]).toBeCloseTo(v / z, 12));
});

test("top-k keeps the k largest, renormalised", () => {
  const p = samplingDistribution(logits, { topK: 2 });
  expect(p[0]).toBeCloseTo(0.625, 12);
  expect(p[1]).toBeCloseTo(0.375, 12);
  expect(p[2] + p[3]).toBe(0);
});

test("top-p keeps the smallest prefix reaching p (the crossing token included)", () => {
  let p = samplingDistribution(logits, { topP: 0.7 }); // 0.5 < 0.7, 0.8 >= 0.7 -> two tokens
  expect([p[0], p[1], p[2], p[3]].map((v) => +v.toFixed(6))).toEqual([0.625, 0.375, 0, 0]);
  p = samplingDistribution(logits, { topP: 0.5 }); // the first token alone reaches 0.5
  expect(Array.from(p)).toEqual([1, 0, 0, 0]);
});

test("samples follow the distribution and are reproducible from the seed", () => {
  const draw = (seed: number): number[] => {
    const rng = new Rng(seed);
    return Array.from({ length: 20000 }, () => sampleToken(logits, rng));
  };
  const a = draw(42);
  expect(draw(42)).toEqual(a);
  const freq = [0, 1, 2, 3].map((t) => a.filter((x) => x === t).length / a.length);
  [0.5, 0.3, 0.15, 0.05].forEach((v, i) => expect(Math.abs(freq[i] - v)).toBeLessThan(0.015));
});

test("bad sampling options are rejected", () => {
  expect(() => samplingDistribution(logits, { topK: 0 })).toThrow(/topK/);
  expect(() => samplingDistribution(logits, { topP: 1.5 })).toThrow(/topP/);
  expect(() => samplingDistribution(logits, { temperature: -1 })).toThrow(/temperature/);
});

test("Rng: state round-trips and uniform mean is 1/2", () => {
  const r = new Rng(9);
  r.uniform();
  const s = r.state();
  const a = [r.uniform(), r.uniform()];
  const r2 = new Rng(s);
  expect([r2.uniform(), r2.uniform()]).toEqual(a);
  let m = 0;
  for (let i = 0; i < 10000; i++) m += r.uniform();
  expect(Math.abs(m / 10000 - 0.5)).toBeLessThan(0.01);
  expect(() => new Rng([1, 2, 3] as unknown as [number, number, number, number])).toThrow(/four unsigned/);
});
