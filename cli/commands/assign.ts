// `llmlab assign NOTEBOOKS... --out DIR`: the student versions of course notebooks, to hand out.
// `llmlab grade --assignment DIR` (default: notebooks/) restores protected cells from them.
import { Command } from "commander";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "fs";
import { basename, join, resolve } from "path";

export function register(program: Command): void {
  program
    .command("assign")
    .description(
      "write the student version of notebooks: outputs cleared, answer cells with placeholders, protected cells fingerprinted",
    )
    .argument("<notebooks...>", "course notebooks (.ipynb)")
    .requiredOption("--out <dir>", "where the student versions go")
    .option(
      "--solutions-dir <dir>",
      "solutions to make sure no answer cell gives away (default: solutions/ next to each notebook)",
    )
    .action(async (notebooks: string[], opts: { out: string; solutionsDir?: string }) => {
      const { readNotebook } = await import("../../kernel-ext/book/notebook");
      const { readSolutions, solutionsPath } = await import("../../kernel-ext/exercises");
      const { studentVersion } = await import("../../kernel-ext/exercises/assign");
      const out = resolve(opts.out);
      mkdirSync(out, { recursive: true });
      for (const path of notebooks) {
        const name = basename(path);
        const sol = solutionsPath(path, opts.solutionsDir);
        const student = studentVersion(readNotebook(path), name, existsSync(sol) ? readSolutions(sol) : {});
        const file = join(out, name);
        writeFileSync(`${file}.tmp`, JSON.stringify(student, null, 1) + "\n");
        renameSync(`${file}.tmp`, file);
        const n = Object.keys((student.metadata.llmlab as { protected: object }).protected).length;
        console.log(`${file}: ${n} protected cells, ${student.cells.length - n} answer cells`);
      }
    });
}
