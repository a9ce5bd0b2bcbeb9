// `llmlab book`: build (and optionally serve) the HTML book of executed notebooks.
import { Command, InvalidArgumentError } from "commander";
import { buildBook } from "../../kernel-ext/book";
import { serveUntilInterrupted } from "./serve-book";

export function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError(`expected a port number 0-65535, got "${v}"`);
  return n;
}

export function register(program: Command): void {
  program
    .command("book")
    .description("render executed notebooks as an HTML book (table of contents, math, code, charts, run summary)")
    .option("--in <dir>", "folder of executed notebooks", "out/executed")
    .option("--out <dir>", "where to write the book", "out/book")
    .option("--report <file.json>", "the runner's --json report (default: report.json in or next to --in)")
    .option("--title <text>", "the book's title")
    .option("--serve", "serve it on 127.0.0.1 after building")
    .option("--port <port>", "port for --serve", parsePort, 8000)
    .action(
      async (opts: { in: string; out: string; report?: string; title?: string; serve?: boolean; port: number }) => {
        const book = buildBook({ inDir: opts.in, outDir: opts.out, report: opts.report, title: opts.title });
        console.log(`book: ${book.chapters.length} chapters in ${book.outDir} (open ${book.index})`);
        if (opts.serve) await serveUntilInterrupted(book.outDir, opts.port);
      },
    );
}
