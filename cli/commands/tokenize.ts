import { Command } from "commander";
import * as fs from "fs";
import { getTokenizer } from "../../src/tokenize";

function readStdin(): string {
  if (process.stdin.isTTY) throw new Error("tokenize: pipe the text on stdin, e.g. `echo hello | llmlab tokenize`");
  return fs.readFileSync(0, "utf8");
}

export function register(program: Command): void {
  program
    .command("tokenize")
    .description("tokenize stdin and print the ids (or tokens) as JSON")
    .option("--encoding <name>", "a named encoding: gpt2", "gpt2")
    .option("--tokenizer <file>", "a tokenizer file (tokenizer.json, or llmlab char/word JSON) instead of --encoding")
    .option("--ids", "print token ids (default)")
    .option("--tokens", "print the tokens' text instead of ids")
    .option("--allow-special", "recognise special tokens such as <|endoftext|> in the text")
    .action(
      (opts: { encoding: string; tokenizer?: string; ids?: boolean; tokens?: boolean; allowSpecial?: boolean }) => {
        if (opts.ids && opts.tokens) throw new Error("tokenize: give --ids or --tokens, not both");
        const tok = getTokenizer({ encoding: opts.encoding, file: opts.tokenizer });
        const ids = tok.encode(readStdin(), { allowedSpecial: opts.allowSpecial ? "all" : "none" });
        console.log(JSON.stringify(opts.tokens ? ids.map((id) => tok.tokenText(id)) : ids));
      },
    );
}
