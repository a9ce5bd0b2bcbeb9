// `llmlab grade-judge ID FILE [ID FILE...]` (internal): the trusted half of grading. A fresh
// process loads the checkers as shipped and judges each record of an answer (src/course/trusted.ts);
// prints one {id, ok, message} per record as a JSON array.
import { readFileSync } from "fs";
import { Command } from "commander";

export function register(program: Command): void {
  program
    .command("grade-judge", { hidden: true })
    .argument("<pairs...>", "exercise id and record file, repeated")
    .action(async (pairs: string[]) => {
      const llm = await import("../../src");
      await llm.backend.initBackend(); // checkers build models (07) and rebuild carried ones (04.2)
      const { judgeTranscript } = llm.course;
      const rows = [];
      for (let i = 0; i + 1 < pairs.length; i += 2) {
        const id = pairs[i];
        try {
          const t = JSON.parse(readFileSync(pairs[i + 1], "utf8"));
          // The record names its exercise; the grader's id is the one that counts.
          rows.push(judgeTranscript({ ...t, id }));
        } catch (err) {
          rows.push({
            id,
            ok: false,
            message: `the record of the answer could not be read: ${(err as Error).message.slice(0, 200)}`,
          });
        }
      }
      process.stdout.write(JSON.stringify(rows));
    });
}
