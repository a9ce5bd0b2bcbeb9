// `llmlab ratings collect SUBMISSIONS... --out ratings.jsonl`: the ratings each learner gave in
// notebook 09 (kept in the notebook as an output), merged into one file with one rater per learner.
import { Command } from "commander";
import { mkdirSync, renameSync, writeFileSync } from "fs";
import { basename, dirname, resolve } from "path";

export function register(program: Command): void {
  const ratings = program.command("ratings").description("human-evaluation ratings kept in notebooks");
  ratings
    .command("collect")
    .description("merge the ratings in learners' notebooks (notebook 09) into one JSONL ratings file")
    .argument("<submissions...>", "notebooks (.ipynb), or folders of <student>/<notebook>.ipynb")
    .requiredOption("--out <file>", "the merged ratings (.jsonl; notebook 09 reads it as ratingsFile)")
    .action(async (paths: string[], opts: { out: string }) => {
      const { findSubmissions } = await import("../../kernel-ext/exercises/classroom");
      const { readNotebook } = await import("../../kernel-ext/book/notebook");
      const { RATINGS_MIME, mergeRatings, ratingsToJsonl, validateRatings } = await import("../../src/eval");
      const parts = [];
      for (const sub of findSubmissions(paths)) {
        const rater = sub.student || basename(sub.notebook, ".ipynb");
        const found = readNotebook(sub.path).cells.flatMap((c) =>
          (c.outputs ?? []).flatMap((o) => (o.data?.[RATINGS_MIME] !== undefined ? [o.data[RATINGS_MIME]] : [])),
        );
        if (!found.length) {
          console.error(
            `${sub.path}: no ratings in this notebook (rate in notebook 09, section 4, and save it with its outputs); skipped`,
          );
          continue;
        }
        parts.push({ rater, file: validateRatings(found[found.length - 1], sub.path) });
      }
      if (!parts.length) throw new Error("ratings collect: none of the notebooks holds ratings");
      const merged = mergeRatings(parts);
      const file = resolve(opts.out);
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, ratingsToJsonl(merged));
      renameSync(tmp, file);
      console.log(
        `${parts.length} raters (${parts.map((p) => p.rater).join(", ")}), ${merged.likert.length} Likert ratings, ${merged.preferences.length} preferences, ${merged.provenance.kind} -> ${file}`,
      );
    });
}
