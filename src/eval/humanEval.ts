// From a ratings file to the numbers a human evaluation reports: agreement per criterion
// (Cohen's kappa for a pair of raters, Fleiss' kappa and Krippendorff's alpha for all),
// Likert summaries, win rate and Bradley-Terry strengths from the A/B preferences.
import { cohenKappa, fleissKappa } from "./agreement";
import { krippendorffAlpha, AlphaMetric } from "./krippendorff";
import { likertSummary, LikertSummary } from "./likert";
import { bradleyTerry, winRate } from "./preference";
import type { Interval, BootstrapOptions } from "./bootstrap";
import type { RatingsFile } from "./ratings";

export interface CriterionAgreement {
  criterion: string;
  /** Units are (item, system) pairs. */
  units: number;
  raters: string[];
  /** Cohen's kappa (quadratic weights, the Likert scale is ordinal) of the first two raters. */
  cohenKappa: number;
  /** Mean pairwise Cohen's kappa over all rater pairs (same weights). */
  meanPairwiseCohenKappa: number;
  /** Fleiss' kappa (nominal, scale points as categories); NaN if some unit misses a rating. */
  fleissKappa: number;
  krippendorffAlpha: number;
  alphaMetric: AlphaMetric;
}

export function agreementByCriterion(
  file: RatingsFile,
  opts: { alphaMetric?: AlphaMetric } = {},
): CriterionAgreement[] {
  const metric = opts.alphaMetric ?? "ordinal";
  return file.criteria.map((criterion) => {
    const rows = file.likert.filter((r) => r.criterion === criterion);
    const raters = [...new Set(rows.map((r) => r.rater))].sort();
    const units = [...new Set(rows.map((r) => `${r.item}\u0000${r.system}`))].sort();
    const ui = new Map(units.map((u, i) => [u, i]));
    const ri = new Map(raters.map((r, i) => [r, i]));
    const matrix: (number | null)[][] = raters.map(() => new Array(units.length).fill(null));
    for (const r of rows) matrix[ri.get(r.rater)!][ui.get(`${r.item}\u0000${r.system}`)!] = r.score;
    const scale = Array.from({ length: file.scale.max - file.scale.min + 1 }, (_, k) => file.scale.min + k);
    const pairKappa = (x: number, y: number): number => {
      const both = units.map((_, u) => u).filter((u) => matrix[x][u] !== null && matrix[y][u] !== null);
      return cohenKappa(
        both.map((u) => matrix[x][u]!),
        both.map((u) => matrix[y][u]!),
        { weights: "quadratic", categories: scale },
      );
    };
    const pairs: number[] = [];
    for (let x = 0; x < raters.length; x++) for (let y = x + 1; y < raters.length; y++) pairs.push(pairKappa(x, y));
    const complete = units.every((_, u) => matrix.every((row) => row[u] !== null));
    const counts = units.map((_, u) => scale.map((v) => matrix.filter((row) => row[u] === v).length));
    return {
      criterion,
      units: units.length,
      raters,
      cohenKappa: raters.length >= 2 ? pairKappa(0, 1) : NaN,
      meanPairwiseCohenKappa: pairs.length ? pairs.reduce((s, x) => s + x, 0) / pairs.length : NaN,
      fleissKappa: complete && raters.length >= 2 ? fleissKappa(counts) : NaN,
      krippendorffAlpha: krippendorffAlpha(matrix, metric),
      alphaMetric: metric,
    };
  });
}

export interface HumanEvalReport {
  provenance: RatingsFile["provenance"];
  agreement: CriterionAgreement[];
  likert: LikertSummary[];
  winRate?: Interval & { n: number; system: string; other: string };
  bradleyTerry?: Record<string, number>;
}

/** Everything notebook 09 publishes, from one ratings file. `systems` = [system, other] for the win rate. */
export function humanEvalReport(
  file: RatingsFile,
  opts: BootstrapOptions & { systems?: [string, string]; alphaMetric?: AlphaMetric } = {},
): HumanEvalReport {
  const report: HumanEvalReport = {
    provenance: file.provenance,
    agreement: agreementByCriterion(file, opts),
    likert: likertSummary(file.likert, { ...opts, min: file.scale.min, max: file.scale.max }),
  };
  if (file.preferences.length) {
    const names = [...new Set(file.preferences.flatMap((p) => [p.a, p.b]))].sort();
    const [system, other] = opts.systems ?? [names[0], names[1]];
    report.winRate = { ...winRate(file.preferences, system, other, opts), system, other };
    report.bradleyTerry = Object.fromEntries(bradleyTerry(file.preferences).strength);
  }
  return report;
}
