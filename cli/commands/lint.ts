// `llmlab lint`: check committed notebooks against the course's rules.
import { Command } from "commander";
import { formatProblems, lintFile } from "../../kernel-ext/runner/lint";

export function register(program: Command): void {
  program
    .command("lint")
    .description(
      "check notebooks: nbformat 4.5 schema, cleared outputs, cell ids, llmlab kernelspec, parameters cell, no absolute paths",
    )
    .argument("<notebooks...>")
    .action((notebooks: string[]) => {
      process.exitCode = lintCommand(notebooks);
    });
}

/** Prints one line per problem; returns the exit code (0: all clean). */
export function lintCommand(notebooks: string[], err: (s: string) => void = (s) => process.stderr.write(s)): number {
  let bad = 0;
  for (const path of notebooks) {
    const problems = lintFile(path);
    if (problems.length) {
      bad++;
      err(formatProblems(path, problems) + "\n");
    }
  }
  if (bad) err(`llmlab lint: ${bad} of ${notebooks.length} notebook(s) need fixing\n`);
  return bad ? 1 : 0;
}
