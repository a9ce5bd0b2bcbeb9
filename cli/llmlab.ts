#!/usr/bin/env node
// The one `llmlab` command: composes kernel-ext (Jupyter) and src (LLMs).
// Each subcommand lives in cli/commands/<name>.ts and exports `register(program)`;
// they are loaded lazily so that `llmlab kernel` starts without loading tfjs or data.
import { Command } from "commander";
import { registerOwnKernel } from "./own-kernel";

type Registrar = { register(program: Command): void };

// name -> module path; one line per command keeps merges trivial.
const COMMANDS: Record<string, () => Registrar> = {
  version: () => require("./commands/version"),
  tokenize: () => require("./commands/tokenize"),
  tokenizer: () => require("./commands/tokenizer"),
  data: () => require("./commands/data"),
  export: () => require("./commands/export"),
  kernel: () => require("./commands/kernel"),
  book: () => require("./commands/book"),
  start: () => require("./commands/start"),
  lab: () => require("./commands/lab"),
  grade: () => require("./commands/grade"),
  "grade-worker": () => require("./commands/grade-worker"),
  "grade-judge": () => require("./commands/grade-judge"),
  ratings: () => require("./commands/ratings"),
  assign: () => require("./commands/assign"),
  run: () => require("./commands/run"),
  lint: () => require("./commands/lint"),
  train: () => require("./commands/train"),
  finetune: () => require("./commands/finetune"),
  generate: () => require("./commands/generate"),
};

export function buildProgram(): Command {
  // Notebooks whose kernelspec is "llmlab" run on this checkout's kernel when none is installed.
  registerOwnKernel();
  const program = new Command();
  program.name("llmlab").description("Train a small language model end to end, in TypeScript and Jupyter.");
  const wanted = process.argv[2];
  for (const [name, load] of Object.entries(COMMANDS)) {
    // Load only the command asked for (plus all of them for --help).
    if (wanted && !wanted.startsWith("-") && wanted !== "help" && wanted !== name && COMMANDS[wanted]) continue;
    load().register(program);
  }
  return program;
}

if (require.main === module) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      console.error(`llmlab: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
}
