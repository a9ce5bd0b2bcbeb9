// Simulated raters, for running the human-evaluation pipeline headless. The numbers they
// produce measure this simulator, not any model: the file they go into says so.
//
// The model (stated in every file it writes):
//   latent quality  q[i,s,c] = mu[s][c] + d[i] + e[i,s],  d[i] ~ N(0, itemSd^2) (item difficulty,
//                   shared by systems), e[i,s] ~ N(0, sampleSd^2) (this system's output on item i)
//   Likert score    clamp(round(q[i,s,c] + b[r] + eps), min, max),  b[r] ~ N(0, raterBiasSd^2)
//                   (leniency of rater r), eps ~ N(0, noiseSd^2) per rating
//   A/B preference  the rater sees both outputs (order shuffled, i.e. blind), perceives
//                   mean_c q[i,s,c] + eps_s for each, and calls a tie when they differ by less
//                   than tieMargin; a rater's leniency cancels in a comparison.
import { aleaRng } from "../model/rng";
import { CRITERIA, PreferenceRow, RATINGS_FORMAT, RatingsFile } from "./ratings";
import type { LikertRow } from "./likert";

export interface SimulationParams {
  /** Mean latent quality per system and criterion, on the Likert scale. */
  systems: Record<string, Record<string, number>>;
  raters: number;
  items: number;
  itemSd: number;
  sampleSd: number;
  raterBiasSd: number;
  noiseSd: number;
  tieMargin: number;
  seed: number;
  scale?: { min: number; max: number };
}

export const DEFAULT_SIMULATION: SimulationParams = {
  systems: {
    A: { coherence: 3.0, relevance: 3.2, fluency: 3.4 },
    B: { coherence: 3.5, relevance: 3.5, fluency: 3.6 },
  },
  raters: 5,
  items: 20,
  itemSd: 0.6,
  sampleSd: 0.4,
  raterBiasSd: 0.3,
  noiseSd: 0.5,
  tieMargin: 0.15,
  seed: 2026,
};

export const SIMULATION_MODEL =
  "q[i,s,c] = mu[s][c] + d[i] + e[i,s], d ~ N(0, itemSd^2), e ~ N(0, sampleSd^2); " +
  "Likert = clamp(round(q + b[r] + eps), min, max), b[r] ~ N(0, raterBiasSd^2), eps ~ N(0, noiseSd^2); " +
  "A/B: blind (order shuffled), perceived mean_c q + N(0, noiseSd^2) per side, tie if |diff| < tieMargin";

export function simulateRatings(params: SimulationParams = DEFAULT_SIMULATION): RatingsFile {
  const p = params;
  const scale = p.scale ?? { min: 1, max: 5 };
  const systems = Object.keys(p.systems);
  if (systems.length < 2) throw new RangeError("simulateRatings: need at least 2 systems");
  const criteria = Object.keys(p.systems[systems[0]]);
  for (const s of systems) {
    for (const c of criteria)
      if (typeof p.systems[s][c] !== "number") throw new RangeError(`simulateRatings: systems.${s}.${c} is missing`);
  }
  const rng = aleaRng(p.seed);
  const raters = Array.from({ length: p.raters }, (_, r) => `r${r + 1}`);
  const items = Array.from({ length: p.items }, (_, i) => `item${String(i + 1).padStart(2, "0")}`);
  const bias = raters.map(() => p.raterBiasSd * rng.normal());
  const q = items.map(() => {
    const d = p.itemSd * rng.normal();
    return systems.map((s) => {
      const e = p.sampleSd * rng.normal();
      return criteria.map((c) => p.systems[s][c] + d + e);
    });
  });
  const likert: LikertRow[] = [];
  const preferences: PreferenceRow[] = [];
  raters.forEach((rater, r) => {
    items.forEach((item, i) => {
      systems.forEach((system, s) => {
        criteria.forEach((criterion, c) => {
          const score = Math.round(q[i][s][c] + bias[r] + p.noiseSd * rng.normal());
          likert.push({ rater, item, system, criterion, score: Math.min(scale.max, Math.max(scale.min, score)) });
        });
      });
      // Blind A/B between the first two systems, shown in random order.
      const [x, y] = rng.uniform() < 0.5 ? [0, 1] : [1, 0];
      const perceived = (s: number): number =>
        q[i][s].reduce((t, v) => t + v, 0) / criteria.length + p.noiseSd * rng.normal();
      const diff = perceived(x) - perceived(y);
      preferences.push({
        rater,
        item,
        a: systems[x],
        b: systems[y],
        winner: Math.abs(diff) < p.tieMargin ? "tie" : diff > 0 ? "a" : "b",
      });
    });
  });
  return {
    format: RATINGS_FORMAT,
    provenance: {
      kind: "simulated",
      description:
        "Simulated raters; no person rated anything and no model output was shown. Use it to exercise the pipeline, never as evidence about a model.",
      model: SIMULATION_MODEL,
      generator: "llm.evaluation.simulateRatings",
      seed: p.seed,
      parameters: { ...p } as unknown as Record<string, unknown>,
    },
    scale,
    criteria: criteria.length ? criteria : [...CRITERIA],
    likert,
    preferences,
  };
}
