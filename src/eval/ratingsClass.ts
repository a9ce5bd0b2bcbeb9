// A class's ratings: each learner rates in notebook 09 and the ratings stay in the notebook as an
// output (RATINGS_MIME); `llmlab ratings collect` merges the notebooks into one JSONL file
// (ratingsToJsonl) that notebook 09 reads back through loadRatings.
import { RATINGS_FORMAT, RatingsFile, validateRatings } from "./ratings";

/** MIME type of a ratings file shown in a notebook (kept in the .ipynb when it is saved). */
export const RATINGS_MIME = "application/vnd.llmlab.ratings+json";

/** A ratings file as a notebook output: the file itself under RATINGS_MIME, a summary as text. */
export function ratingsOutput(file: RatingsFile): {
  [k: symbol]: () => { data: Record<string, unknown>; metadata: Record<string, unknown> };
} {
  const raters = [...new Set(file.likert.map((r) => r.rater))];
  const text = `${file.provenance.kind} ratings by ${raters.join(", ") || "nobody"}: ${file.likert.length} Likert scores, ${file.preferences.length} A/B preferences (kept in this notebook for llmlab ratings collect)`;
  return {
    [Symbol.for("Jupyter.display")]: () => ({
      data: { "text/plain": text, [RATINGS_MIME]: JSON.parse(JSON.stringify(file)) },
      metadata: {},
    }),
  };
}

/**
 * One file from several raters' files. Each rater is named by where the file came from (a
 * learner's folder), so two learners who both called themselves "me" stay two raters. The merged
 * provenance is human only if every part is; otherwise it says simulated, and which parts were.
 */
export function mergeRatings(
  parts: { rater: string; file: RatingsFile }[],
  collectedBy = "llmlab ratings collect",
): RatingsFile {
  if (!parts.length) throw new Error("mergeRatings: no ratings to merge");
  const [first] = parts;
  for (const p of parts) {
    if (p.file.scale.min !== first.file.scale.min || p.file.scale.max !== first.file.scale.max)
      throw new Error(
        `mergeRatings: ${p.rater} rated on ${p.file.scale.min}-${p.file.scale.max}, ${first.rater} on ${first.file.scale.min}-${first.file.scale.max}`,
      );
    if (p.file.criteria.join() !== first.file.criteria.join())
      throw new Error(
        `mergeRatings: ${p.rater} rated ${p.file.criteria.join(", ")}, ${first.rater} ${first.file.criteria.join(", ")}`,
      );
  }
  const name = (p: { rater: string; file: RatingsFile }, r: string) =>
    new Set(p.file.likert.map((x) => x.rater)).size > 1 ? `${p.rater}/${r}` : p.rater;
  const simulated = parts.filter((p) => p.file.provenance.kind === "simulated").map((p) => p.rater);
  const description = `${parts.length} raters' ratings (${parts.map((p) => p.rater).join(", ")}), each from their own notebook: ${[...new Set(parts.map((p) => p.file.provenance.description))].join("; ")}`;
  const date = new Date().toISOString().slice(0, 10);
  return validateRatings(
    {
      format: RATINGS_FORMAT,
      provenance: simulated.length
        ? {
            kind: "simulated",
            description: `${description}. Simulated parts: ${simulated.join(", ")}`,
            model: "as stated by each part",
            generator: collectedBy,
            seed: "per part",
          }
        : { kind: "human", description, collectedBy, date },
      scale: first.file.scale,
      criteria: first.file.criteria,
      likert: parts.flatMap((p) => p.file.likert.map((r) => ({ ...r, rater: name(p, r.rater) }))),
      preferences: parts.flatMap((p) => p.file.preferences.map((r) => ({ ...r, rater: name(p, r.rater) }))),
    },
    "mergeRatings",
  );
}
