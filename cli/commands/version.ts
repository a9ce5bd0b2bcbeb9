import { Command } from "commander";

export function register(program: Command): void {
  program
    .command("version")
    .description("print the llmlab version")
    .action(() => {
      const pkg = require("../../../package.json") as { version: string };
      console.log(pkg.version);
    });
}
