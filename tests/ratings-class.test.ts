// A class's human ratings, end to end: a learner rates in notebook 09 (headless: the ratingAnswers
// parameter), the ratings stay in the executed notebook; with two more learners' notebooks,
// `llmlab ratings collect` merges them into ratings.jsonl; notebook 09 run on that file publishes
// agreement and win-rate figures equal to those computed here straight from the three raters' files.
// The other two learners' notebooks are the first one's with their own ratings in place of its
// ratings output, made by collectRatings (the function the notebook's form calls) from a scripted
// rater, so that the test runs notebook 09 twice rather than four times.
import { execFileSync } from "child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { runNotebook } from "../kernel-ext/runner";
import type { Notebook } from "../kernel-ext/runner";
import {
  RATINGS_MIME,
  RatingsFile,
  agreementByCriterion,
  collectRatings,
  humanEvalReport,
  validateRatings,
} from "../src/eval";

const ROOT = resolve(__dirname, "..");
const NB09 = join(ROOT, "notebooks", "09-evaluation.ipynb");

const ratingsIn = (nb: Notebook): RatingsFile[] =>
  nb.cells.flatMap((c) =>
    (c.cell_type === "code" ? c.outputs : []).flatMap((o) =>
      "data" in o && o.data[RATINGS_MIME] ? [validateRatings(o.data[RATINGS_MIME])] : [],
    ),
  );

/** A scripted rater: likes the cooler samples more, by `taste`, with its own leniency. */
function rater(taste: number, leniency: number, items: { id: string; outputs: Record<string, string> }[]) {
  let n = 0;
  return async () =>
    collectRatings(
      items,
      (q) => {
        n++;
        const shown = [...q.matchAll(/Output (\d):\n(\S+)/g)].map((m) => m[2]);
        const k = /Rate Output (\d)/.exec(q);
        if (!k) return shown[0] === "cool" ? "1" : shown[1] === "cool" ? "2" : "t";
        const score = (shown[Number(k[1]) - 1] === "cool" ? 3 + taste : 3) + leniency + (n % 3 === 0 ? 1 : 0);
        return String(Math.min(5, Math.max(1, score)));
      },
      { rater: "me", collectedBy: "me, in notebook 09", description: "scripted", seed: 0 },
    );
}

describe("a class's ratings through notebook 09", () => {
  const dir = mkdtempSync(join(tmpdir(), "llmlab-ratings-"));
  let env: NodeJS.ProcessEnv = {};
  beforeAll(() => {
    const prefix = join(dir, "kernelspec");
    execFileSync(process.execPath, [join(ROOT, "dist/cli/llmlab.js"), "kernel", "install", "--prefix", prefix], {
      stdio: "pipe",
    });
    env = { ...process.env, JUPYTER_PATH: join(prefix, "share", "jupyter") };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    "collects the raters' notebooks and reports their agreement and win rate",
    async () => {
      // Learner 1 rates headless: per item six scores (two outputs x three criteria), then A/B.
      const answers = [
        "4",
        "3",
        "5",
        "2",
        "2",
        "3",
        "1",
        "5",
        "4",
        "4",
        "3",
        "3",
        "4",
        "t",
        "2",
        "3",
        "2",
        "4",
        "5",
        "4",
        "2",
      ];
      const first = await runNotebook(NB09, { params: { ratingAnswers: answers }, timeout: 600, env });
      if (first.failure) throw new Error(first.failure.message);
      expect(first.metrics.ratingsProvenance).toBe("simulated"); // the default file, and it says so
      const [mine] = ratingsIn(first.notebook);
      expect(mine.provenance.kind).toBe("human");
      expect(mine.likert).toHaveLength(18);
      expect(mine.preferences).toHaveLength(3);

      const items = [...new Set(mine.likert.map((r) => r.item))].map((id) => ({
        id,
        outputs: { "t=0.7": "cool", "t=1.3": "hot" },
      }));
      const files: Record<string, RatingsFile> = {
        ada: mine,
        bo: await rater(2, 0, items)(),
        cy: await rater(1, -1, items)(),
      };
      for (const [who, file] of Object.entries(files)) {
        const nb: Notebook = JSON.parse(JSON.stringify(first.notebook));
        for (const c of nb.cells)
          if (c.cell_type === "code")
            for (const o of c.outputs)
              if ("data" in o && o.data[RATINGS_MIME]) o.data[RATINGS_MIME] = JSON.parse(JSON.stringify(file));
        mkdirSync(join(dir, "class", who), { recursive: true });
        writeFileSync(join(dir, "class", who, "09-evaluation.ipynb"), JSON.stringify(nb));
      }
      const jsonl = join(dir, "ratings.jsonl");
      execFileSync(
        process.execPath,
        [join(ROOT, "dist/cli/llmlab.js"), "ratings", "collect", join(dir, "class"), "--out", jsonl],
        { stdio: "pipe" },
      );
      expect(readFileSync(jsonl, "utf8").trim().split("\n")).toHaveLength(1 + 3 * 18 + 3 * 3);

      const run = await runNotebook(NB09, { params: { ratingsFile: jsonl }, timeout: 600, env });
      if (run.failure) throw new Error(run.failure.message);
      const m = run.metrics as Record<string, number | string>;
      expect(m.ratingsProvenance).toBe("human");

      // Straight from the three files: every rating under its learner's name.
      const direct: RatingsFile = {
        ...mine,
        likert: Object.entries(files).flatMap(([who, f]) => f.likert.map((r) => ({ ...r, rater: who }))),
        preferences: Object.entries(files).flatMap(([who, f]) => f.preferences.map((r) => ({ ...r, rater: who }))),
      };
      const agreement = agreementByCriterion(direct);
      const mean = (k: "cohenKappa" | "fleissKappa" | "krippendorffAlpha") =>
        agreement.reduce((s, a) => s + a[k], 0) / agreement.length;
      expect(agreement[0].raters).toEqual(["ada", "bo", "cy"]);
      for (const k of ["cohenKappa", "fleissKappa", "krippendorffAlpha"] as const) {
        expect(Number.isFinite(mean(k))).toBe(true);
        expect(m[k]).toBeCloseTo(mean(k), 12);
      }
      expect(m.winRate).toBeCloseTo(
        humanEvalReport(direct, { systems: ["t=0.7", "t=1.3"], resamples: 50, seed: 0 }).winRate!.estimate,
        12,
      );
    },
    20 * 60 * 1000,
  );
});
