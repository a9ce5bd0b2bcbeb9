// gradeSubmission with a stand-in worker (no kernel, no sandbox): the rows come from the judge
// only, a judge that fails costs that submission alone, and links out of the scratch folder are not read.
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import type { Notebook } from "../book/notebook";
import { Judge, SubmissionOptions, gradeSubmission } from "./grade";

// Writes a record for every id, a report that claims success, and links one record to /etc/passwd.
const WORKER = `const fs = require("fs"), path = require("path");
const job = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
fs.mkdirSync(path.join(job.dir, "records"), { recursive: true });
for (const id of job.ids) fs.writeFileSync(path.join(job.dir, "records", id + ".json"), "{}");
fs.rmSync(path.join(job.dir, "records", "03.2.json"));
fs.symlinkSync("/etc/passwd", path.join(job.dir, "records", "03.2.json"));
fs.writeFileSync(path.join(job.dir, "run.json"), JSON.stringify({ status: "ok", recorded: {} }));`;

const nb: Notebook = { cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 };

describe("gradeSubmission", () => {
  const dir = mkdtempSync(join(tmpdir(), "llmlab-gradesub-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const opts = (judge: Judge): SubmissionOptions => ({
    ids: ["03.1", "03.2"],
    hide: [],
    workDir: join(dir, "work"),
    unsafeNoSandbox: true,
    workerCommand: [process.execPath, "-e", WORKER],
    judge,
  });
  const sub = { student: "ada", notebook: "q.ipynb", path: "/c/ada/q.ipynb" };

  it("scores what the judge says, and does not hand it a link out of the scratch folder", async () => {
    let asked: string[] = [];
    const { report } = await gradeSubmission(
      sub,
      nb,
      opts(async (records) => {
        asked = records.map((r) => r.id);
        return records.map((r) => ({ id: r.id, ok: true, message: "judged" }));
      }),
    );
    expect(asked).toEqual(["03.1"]);
    expect(report.rows).toEqual([
      { id: "03.1", ok: true, message: "judged" },
      { id: "03.2", ok: false, message: expect.stringMatching(/^no record of the answer/) },
    ]);
    expect(report).toMatchObject({ passed: 1, total: 2, status: "ok" });
  });

  it("gives 0 with the reason when the judge fails on a submission's records", async () => {
    const { report } = await gradeSubmission(
      sub,
      nb,
      opts(async () => {
        throw new Error("the judge exited with null");
      }),
    );
    expect(report).toMatchObject({
      passed: 0,
      status: "judge-error",
      reason: expect.stringMatching(/could not be judged: the judge exited/),
    });
  });
});
