// Pairwise preferences: win rate with a bootstrap interval, and Bradley-Terry strengths
// P(i beats j) = p_i / (p_i + p_j), fitted with Hunter's (2004) MM algorithm, "MM algorithms
// for generalized Bradley-Terry models", Ann. Statist. 32(1), eq. (3):
//   p_i <- W_i / sum_{j != i} n_ij / (p_i + p_j),
// which increases the likelihood every step and needs no step size.
import { bootstrapCI, BootstrapOptions, Interval } from "./bootstrap";

export interface Comparison {
  a: string;
  b: string;
  /** "a", "b", or "tie". */
  winner: "a" | "b" | "tie";
}

/** Share of the comparisons between `system` and `other` that `system` won; a tie counts half. */
export function winRate(
  comparisons: readonly Comparison[],
  system: string,
  other: string,
  opts: BootstrapOptions = {},
): Interval & { n: number } {
  const scores: number[] = [];
  for (const c of comparisons) {
    if (c.a === system && c.b === other) scores.push(c.winner === "a" ? 1 : c.winner === "tie" ? 0.5 : 0);
    else if (c.a === other && c.b === system) scores.push(c.winner === "b" ? 1 : c.winner === "tie" ? 0.5 : 0);
  }
  if (scores.length === 0) throw new RangeError(`winRate: no comparisons between "${system}" and "${other}"`);
  const avg = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
  return { ...bootstrapCI(scores, avg, opts), n: scores.length };
}

export interface BradleyTerryResult {
  /** Strengths normalised to sum to 1. */
  strength: Map<string, number>;
  iterations: number;
  converged: boolean;
}

/**
 * Bradley-Terry strengths by MM. Ties count as half a win for each side (a common convention;
 * Davidson's tie model is not implemented). Every system must win at least once and lose at
 * least once to someone (Hunter's assumption 1), otherwise the MLE runs off to 0 or infinity.
 */
export function bradleyTerry(
  comparisons: readonly Comparison[],
  opts: { maxIterations?: number; tolerance?: number } = {},
): BradleyTerryResult {
  const names = [...new Set(comparisons.flatMap((c) => [c.a, c.b]))].sort();
  const m = names.length;
  if (m < 2) throw new RangeError("bradleyTerry: need comparisons between at least 2 systems");
  const idx = new Map(names.map((s, i) => [s, i]));
  const wins = Array.from({ length: m }, () => new Float64Array(m)); // wins[i][j]: i over j
  for (const c of comparisons) {
    if (c.a === c.b) throw new RangeError(`bradleyTerry: a comparison of "${c.a}" with itself`);
    const i = idx.get(c.a)!;
    const j = idx.get(c.b)!;
    if (c.winner === "a") wins[i][j] += 1;
    else if (c.winner === "b") wins[j][i] += 1;
    else if (c.winner === "tie") {
      wins[i][j] += 0.5;
      wins[j][i] += 0.5;
    } else throw new RangeError(`bradleyTerry: winner must be "a", "b" or "tie", got ${JSON.stringify(c.winner)}`);
  }
  const W = wins.map((row) => row.reduce((s, x) => s + x, 0));
  names.forEach((s, i) => {
    const losses = wins.reduce((acc, row) => acc + row[i], 0);
    if (W[i] === 0 || losses === 0)
      throw new RangeError(
        `bradleyTerry: "${s}" ${W[i] === 0 ? "never wins" : "never loses"}; the maximum-likelihood strengths do not exist`,
      );
  });
  const maxIt = opts.maxIterations ?? 10000;
  const tol = opts.tolerance ?? 1e-12;
  let p = new Float64Array(m).fill(1 / m);
  for (let it = 1; it <= maxIt; it++) {
    const next = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let denom = 0;
      for (let j = 0; j < m; j++) if (j !== i) denom += (wins[i][j] + wins[j][i]) / (p[i] + p[j]);
      next[i] = W[i] / denom;
    }
    const total = next.reduce((s, x) => s + x, 0);
    let change = 0;
    for (let i = 0; i < m; i++) {
      next[i] /= total;
      change = Math.max(change, Math.abs(next[i] - p[i]));
    }
    p = next;
    if (change < tol) return { strength: new Map(names.map((s, i) => [s, p[i]])), iterations: it, converged: true };
  }
  return { strength: new Map(names.map((s, i) => [s, p[i]])), iterations: maxIt, converged: false };
}
