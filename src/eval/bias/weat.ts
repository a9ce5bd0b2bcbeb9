// Word Embedding Association Test (Caliskan, Bryson & Narayanan 2017, "Semantics derived
// automatically from language corpora contain human-like biases", Science 356):
//   s(w, A, B)     = mean_a cos(w, a) - mean_b cos(w, b)
//   s(X, Y, A, B)  = sum_x s(x, A, B) - sum_y s(y, A, B)
//   effect size d  = (mean_x s(x,A,B) - mean_y s(y,A,B)) / std_{w in X u Y} s(w, A, B)
//   p-value        = Pr over equal-size re-partitions (Xi, Yi) of X u Y of s(Xi,Yi,A,B) >= s(X,Y,A,B)
// We count ">=" (the observed partition included, so p >= 1/#partitions) where the paper
// writes ">"; std is the sample standard deviation (n - 1).
import { aleaRng } from "../../model/rng";

export type Vector = ArrayLike<number>;

export function cosine(u: Vector, v: Vector): number {
  if (u.length !== v.length) throw new RangeError(`cosine: vectors of length ${u.length} and ${v.length}`);
  let uv = 0;
  let uu = 0;
  let vv = 0;
  for (let i = 0; i < u.length; i++) {
    uv += u[i] * v[i];
    uu += u[i] * u[i];
    vv += v[i] * v[i];
  }
  if (uu === 0 || vv === 0) throw new RangeError("cosine: zero vector");
  return uv / Math.sqrt(uu * vv);
}

export function association(w: Vector, A: readonly Vector[], B: readonly Vector[]): number {
  const m = (S: readonly Vector[]): number => S.reduce((s, a) => s + cosine(w, a), 0) / S.length;
  return m(A) - m(B);
}

export interface WeatResult {
  effectSize: number;
  statistic: number;
  pValue: number;
  /** true: all partitions enumerated; false: Monte-Carlo permutations. */
  exact: boolean;
  partitions: number;
}

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

export function weat(
  X: readonly Vector[],
  Y: readonly Vector[],
  A: readonly Vector[],
  B: readonly Vector[],
  opts: { exactLimit?: number; permutations?: number; seed?: number | string } = {},
): WeatResult {
  for (const [name, S] of [
    ["X", X],
    ["Y", Y],
    ["A", A],
    ["B", B],
  ] as const) {
    if (S.length === 0) throw new RangeError(`weat: target/attribute set ${name} is empty`);
  }
  const s = [...X, ...Y].map((w) => association(w, A, B));
  const n = s.length;
  const nx = X.length;
  const total = s.reduce((a, b) => a + b, 0);
  // s(Xi, Yi) = sum_Xi s - (total - sum_Xi s) = 2 sum_Xi s - total
  const statOf = (sumX: number): number => 2 * sumX - total;
  const sumX = s.slice(0, nx).reduce((a, b) => a + b, 0);
  const statistic = statOf(sumX);
  const mean = total / n;
  const sd = Math.sqrt(s.reduce((acc, v) => acc + (v - mean) ** 2, 0) / (n - 1));
  const effectSize = (sumX / nx - (total - sumX) / (n - nx)) / sd;
  const eps = 1e-12 * Math.max(1, Math.abs(statistic)); // float noise must not break ">=" ties
  const partitions = binomial(n, nx);
  if (partitions <= (opts.exactLimit ?? 200000)) {
    let atLeast = 0;
    const walk = (start: number, left: number, acc: number): void => {
      if (left === 0) {
        if (statOf(acc) >= statistic - eps) atLeast++;
        return;
      }
      for (let i = start; i <= n - left; i++) walk(i + 1, left - 1, acc + s[i]);
    };
    walk(0, nx, 0);
    return { effectSize, statistic, pValue: atLeast / partitions, exact: true, partitions };
  }
  const perms = opts.permutations ?? 10000;
  const rng = aleaRng(opts.seed ?? 0);
  const idx = [...s.keys()];
  let atLeast = 0;
  for (let p = 0; p < perms; p++) {
    let acc = 0;
    for (let i = 0; i < nx; i++) {
      const j = i + rng.int(n - i); // partial Fisher-Yates: the first nx form Xi
      [idx[i], idx[j]] = [idx[j], idx[i]];
      acc += s[idx[i]];
    }
    if (statOf(acc) >= statistic - eps) atLeast++;
  }
  // (count + 1) / (perms + 1): the observed partition counts as one of the draws.
  return { effectSize, statistic, pValue: (atLeast + 1) / (perms + 1), exact: false, partitions: perms };
}

/** Caliskan et al.'s WEAT 6 word lists (career/family vs male/female names). */
export const WEAT_CAREER_FAMILY = {
  X: ["John", "Paul", "Mike", "Kevin", "Steve", "Greg", "Jeff", "Bill"],
  Y: ["Amy", "Joan", "Lisa", "Sarah", "Diana", "Kate", "Ann", "Donna"],
  A: ["executive", "management", "professional", "corporation", "salary", "office", "business", "career"],
  B: ["home", "parents", "children", "family", "cousins", "marriage", "wedding", "relatives"],
};

/**
 * WEAT on words: `embed` returns a word's vector or undefined when the model has none (e.g. a
 * word that is not one token). Missing words are dropped and listed, never silently.
 */
export function weatWords(
  sets: { X: readonly string[]; Y: readonly string[]; A: readonly string[]; B: readonly string[] },
  embed: (word: string) => Vector | undefined,
  opts: Parameters<typeof weat>[4] = {},
): WeatResult & { missing: string[] } {
  const missing: string[] = [];
  const vecs = (ws: readonly string[]): Vector[] =>
    ws.flatMap((w) => {
      const v = embed(w);
      if (!v) missing.push(w);
      return v ? [v] : [];
    });
  return { ...weat(vecs(sets.X), vecs(sets.Y), vecs(sets.A), vecs(sets.B), opts), missing };
}
