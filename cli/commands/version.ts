import { Command } from "commander";

export function register(program: Command): void {
  program
    .command("version")
    .description("print the llmlab version")
    .action(() => {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const pkg = require("../../../package.json") as { version: string };
      console.log(pkg.version);
    });
}
