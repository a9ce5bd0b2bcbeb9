// Runs one `llmlab` subcommand in-process (its commander registration), collecting what it logs.
import { Command } from "commander";

export async function runCommand(
  register: (program: Command) => void,
  name: string,
  args: string[],
): Promise<string[]> {
  const lines: string[] = [];
  const spy = jest.spyOn(console, "log").mockImplementation((s: unknown) => void lines.push(String(s)));
  try {
    const program = new Command().exitOverride();
    register(program);
    await program.parseAsync(["node", "llmlab", name, ...args]);
  } finally {
    spy.mockRestore();
  }
  return lines;
}
