// Exercises of notebooks/09-evaluation.ipynb.
import { agreementByCriterion, CriterionAgreement, DEFAULT_SIMULATION, RatingsFile, simulateRatings } from "../../eval";
import { registerExercise } from "../check";
import { asFunction, asRecord, fail, isVerdict, pass, show } from "../judge";

const STATISTICS = ["cohenKappa", "meanPairwiseCohenKappa", "fleissKappa", "krippendorffAlpha"] as const;
type Statistic = (typeof STATISTICS)[number];

const isRatings = (v: unknown): v is RatingsFile =>
  v !== null &&
  typeof v === "object" &&
  Array.isArray((v as RatingsFile).likert) &&
  Array.isArray((v as RatingsFile).criteria);

/** Mean over criteria of each agreement statistic (NaN criteria skipped, as Fleiss' kappa can be). */
function means(agreement: CriterionAgreement[]): Record<Statistic, number> {
  const out = {} as Record<Statistic, number>;
  for (const k of STATISTICS) {
    const xs = agreement.map((a) => a[k]).filter((x) => Number.isFinite(x));
    out[k] = xs.reduce((s, x) => s + x, 0) / xs.length;
  }
  return out;
}

registerExercise({
  id: "09.1",
  title: "noisier raters: which agreement statistic drops most?",
  hint: "simulate with `{ ...llm.evaluation.DEFAULT_SIMULATION, noiseSd: 1.0 }`, compute `agreementByCriterion` for it and for the default simulation, and compare each statistic's mean over the criteria.",
  check(answer) {
    const a = asRecord(answer, "{ noisy, dropsMost }: the noisier ratings file and the name of a statistic");
    if (isVerdict(a)) return a;
    const { noisy, dropsMost } = a;
    if (!isRatings(noisy)) return fail(`noisy must be a ratings file (from simulateRatings), got ${show(noisy)}.`);
    const base = means(agreementByCriterion(simulateRatings(DEFAULT_SIMULATION)));
    const worse = means(agreementByCriterion(noisy));
    const drops = Object.fromEntries(STATISTICS.map((k) => [k, base[k] - worse[k]])) as Record<Statistic, number>;
    const table = STATISTICS.map((k) => `${k} ${base[k].toFixed(3)} → ${worse[k].toFixed(3)}`).join(", ");
    if (STATISTICS.every((k) => !(drops[k] > 0)))
      return fail(
        `no statistic dropped (${table}): simulate with twice the rating noise (noiseSd: 1.0; the default is ${DEFAULT_SIMULATION.noiseSd}).`,
      );
    if (!STATISTICS.includes(dropsMost as Statistic))
      return fail(`dropsMost must name one of ${STATISTICS.join(", ")}; got ${show(dropsMost)}.`);
    const most = STATISTICS.reduce((m, k) => (drops[k] > drops[m] ? k : m));
    if (dropsMost !== most)
      return fail(
        `${dropsMost} drops by ${drops[dropsMost as Statistic].toFixed(3)}, but another statistic drops more (${table}).`,
      );
    return pass(
      `${most} drops most (by ${drops[most].toFixed(3)}; ${table}). More noise per rating means more disagreement on every unit; a statistic that counts only exact matches (nominal) or leans on one pair of raters moves differently from one that credits near misses.`,
    );
  },
});

const KEEP = ["r1", "r2", "r3"];

registerExercise({
  id: "09.2",
  title: "how many raters? keep some of a ratings file",
  hint: "return `{ ...file, likert: file.likert.filter((r) => raters.includes(r.rater)) }`: a new file, the input unchanged.",
  check(answer) {
    const fn = asFunction(answer, "keepRaters(file, raters)");
    if (isVerdict(fn)) return fn;
    const file = simulateRatings(DEFAULT_SIMULATION);
    const before = JSON.stringify(file);
    const got = fn(file as never, KEEP.slice() as never);
    const call = `keepRaters(a file of ${file.likert.length} Likert ratings by ${new Set(file.likert.map((r) => r.rater)).size} raters, ${show(KEEP)})`;
    if (JSON.stringify(file) !== before)
      return fail(`${call} changed the file it was given: return a new one (\`{ ...file, likert: ... }\`).`);
    if (!isRatings(got)) return fail(`${call} returned ${show(got)}, expected a ratings file (likert, criteria, ...).`);
    const raters = [...new Set(got.likert.map((r) => r.rater))].sort();
    const want = file.likert.filter((r) => KEEP.includes(r.rater));
    if (raters.some((r) => !KEEP.includes(r)))
      return fail(`${call} still has ratings by ${show(raters.filter((r) => !KEEP.includes(r)))}.`);
    if (got.likert.length !== want.length)
      return fail(`${call} kept ${got.likert.length} ratings; raters ${KEEP.join(", ")} gave ${want.length}.`);
    if (show(got.criteria) !== show(file.criteria) || show(got.scale) !== show(file.scale))
      return fail(`${call} lost the file's criteria or scale: keep every other field (\`...file\`).`);
    const [all, three] = [means(agreementByCriterion(file)), means(agreementByCriterion(got))];
    return pass(
      `with 3 of 5 raters Fleiss' kappa moves ${all.fleissKappa.toFixed(3)} → ${three.fleissKappa.toFixed(3)} and Krippendorff's alpha ${all.krippendorffAlpha.toFixed(3)} → ${three.krippendorffAlpha.toFixed(3)} (means over criteria): fewer raters, a noisier estimate of the same agreement.`,
    );
  },
});
