// Chance-corrected agreement between raters: Cohen's kappa (two raters, Cohen 1960; weighted
// kappa, Cohen 1968) and Fleiss' kappa (any fixed number of raters per subject, Fleiss 1971).
// Both are kappa = (P_o - P_e) / (1 - P_e): observed agreement beyond what the raters'
// marginal category rates would give by chance.

export type Label = string | number;

/**
 * Cohen's kappa of two raters who labelled the same items (a[i] and b[i] are item i).
 * weights: "none" (nominal), "linear" or "quadratic" (ordinal labels; the categories are then
 * ordered by `categories`, or numerically / lexically if not given).
 */
export function cohenKappa(
  a: readonly Label[],
  b: readonly Label[],
  opts: { weights?: "none" | "linear" | "quadratic"; categories?: readonly Label[] } = {},
): number {
  if (a.length !== b.length)
    throw new RangeError(`cohenKappa: the raters labelled ${a.length} and ${b.length} items; expected the same items`);
  if (a.length === 0) throw new RangeError("cohenKappa: no items");
  const cats = opts.categories
    ? [...opts.categories]
    : [...new Set([...a, ...b])].sort((x, y) =>
        typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y)),
      );
  const index = new Map(cats.map((c, i) => [c, i]));
  const k = cats.length;
  const obs = Array.from({ length: k }, () => new Float64Array(k));
  for (let i = 0; i < a.length; i++) {
    const r = index.get(a[i]);
    const c = index.get(b[i]);
    if (r === undefined || c === undefined)
      throw new RangeError(`cohenKappa: label at item ${i} is not one of the categories ${JSON.stringify(cats)}`);
    obs[r][c] += 1 / a.length;
  }
  const rowM = obs.map((row) => row.reduce((s, x) => s + x, 0));
  const colM = cats.map((_, c) => obs.reduce((s, row) => s + row[c], 0));
  const w = opts.weights ?? "none";
  // Disagreement weight between categories i and j (0 on the diagonal).
  const dis = (i: number, j: number): number =>
    w === "none"
      ? i === j
        ? 0
        : 1
      : w === "linear"
        ? Math.abs(i - j) / Math.max(1, k - 1)
        : ((i - j) / Math.max(1, k - 1)) ** 2;
  let dObs = 0;
  let dExp = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      dObs += dis(i, j) * obs[i][j];
      dExp += dis(i, j) * rowM[i] * colM[j];
    }
  }
  if (dExp === 0) throw new RangeError("cohenKappa: undefined when both raters always use one and the same category");
  return 1 - dObs / dExp;
}

/**
 * Fleiss' kappa from a subjects x categories matrix of counts: counts[i][j] = how many raters
 * put subject i in category j; every subject must have the same number of ratings n.
 */
export function fleissKappa(counts: readonly (readonly number[])[]): number {
  const N = counts.length;
  if (N === 0) throw new RangeError("fleissKappa: no subjects");
  const k = counts[0].length;
  const n = counts[0].reduce((s, x) => s + x, 0);
  if (n < 2) throw new RangeError("fleissKappa: need at least 2 ratings per subject");
  const pj = new Float64Array(k);
  let pBar = 0;
  counts.forEach((row, i) => {
    if (row.length !== k) throw new RangeError(`fleissKappa: subject ${i} has ${row.length} categories, expected ${k}`);
    const ni = row.reduce((s, x) => s + x, 0);
    if (ni !== n)
      throw new RangeError(
        `fleissKappa: subject ${i} has ${ni} ratings, expected ${n} like subject 0 (use Krippendorff's alpha for missing ratings)`,
      );
    let agree = 0;
    row.forEach((x, j) => {
      pj[j] += x / (N * n);
      agree += x * (x - 1);
    });
    pBar += agree / (n * (n - 1)) / N;
  });
  const pe = pj.reduce((s, p) => s + p * p, 0);
  if (pe === 1) throw new RangeError("fleissKappa: undefined when every rating is the same category");
  return (pBar - pe) / (1 - pe);
}

/** Build Fleiss' count matrix from (subject, label) ratings. */
export function countsBySubject(
  ratings: readonly { subject: string; label: Label }[],
  categories?: readonly Label[],
): { subjects: string[]; categories: Label[]; counts: number[][] } {
  const cats = categories
    ? [...categories]
    : [...new Set(ratings.map((r) => r.label))].sort((x, y) =>
        typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y)),
      );
  const ci = new Map(cats.map((c, i) => [c, i]));
  const rows = new Map<string, number[]>();
  for (const r of ratings) {
    const j = ci.get(r.label);
    if (j === undefined)
      throw new RangeError(
        `countsBySubject: label ${JSON.stringify(r.label)} of subject ${r.subject} is not one of ${JSON.stringify(cats)}`,
      );
    let row = rows.get(r.subject);
    if (!row) rows.set(r.subject, (row = new Array(cats.length).fill(0)));
    row[j]++;
  }
  return { subjects: [...rows.keys()], categories: cats, counts: [...rows.values()] };
}
