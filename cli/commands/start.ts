// `llmlab start` (npm start): run the whole course headless through the runner, build the HTML
// book of the executed notebooks, and serve it on 127.0.0.1.
//
// Sizes: by default every notebook runs with the CI-size defaults of its parameters cell. With
// --full, notebooks/full-size/<notebook>.json (a flat {name: value} object, exactly what
// `llmlab run --params-file` takes) gives the full-size values; JSON has no Infinity, so it is
// written 1e999 (JSON.parse reads it as Infinity).
//
// Kernel: the notebooks' kernelspec "llmlab"; where none is installed, this checkout's kernel
// (cli/own-kernel.ts, registered by the llmlab command), so nothing needs installing first.
import { Command } from "commander";
import { randomBytes } from "crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "fs";
import { basename, dirname, join, resolve } from "path";
import { buildBook, courseOrder } from "../../kernel-ext/book";
import type { RunReport } from "../../kernel-ext/book/run-info";
import { runCommand } from "./run";
import { parsePort } from "./book";
import { serveUntilInterrupted } from "./serve-book";

export interface StartOptions {
  full?: boolean;
  serve: boolean;
  port: number;
  timeout?: number;
  out: string;
}

/** The repository root: the nearest folder above this file with our package.json. */
export function packageRoot(from = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "llmlab") return dir;
  }
  throw new Error(`cannot find llmlab's package.json above ${from}`);
}

/** The course's notebooks in order: notebooks/NN-*.ipynb. */
export function courseNotebooks(root: string): string[] {
  const dir = join(root, "notebooks");
  return courseOrder(readdirSync(dir).filter((f) => /^\d+-.*\.ipynb$/.test(f))).map((f) => join(dir, f));
}

/** notebooks/full-size/<name>.json when it exists (a notebook whose full size is its CI size has none). */
export function fullSizeParamsFile(notebook: string): string | undefined {
  const f = join(dirname(notebook), "full-size", `${basename(notebook, ".ipynb")}.json`);
  return existsSync(f) ? f : undefined;
}

function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${randomBytes(3).toString("hex")}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export async function runCourse(
  runCommand: typeof import("./run").runCommand,
  notebooks: string[],
  opts: StartOptions,
): Promise<{ ok: boolean; report: string }> {
  const executed = join(opts.out, "executed");
  const report = join(opts.out, "report.json");
  if (!opts.full) {
    const code = await runCommand(notebooks, { out: executed, json: report, timeout: opts.timeout });
    return { ok: code === 0, report };
  }
  // Full size: one run per notebook with its own params file, then one merged report.
  const merged: RunReport = { ok: true, notebooks: [] };
  const parts = join(opts.out, `.report-parts-${randomBytes(3).toString("hex")}`);
  mkdirSync(parts, { recursive: true });
  try {
    for (const [i, nb] of notebooks.entries()) {
      const part = join(parts, `${i}.json`);
      const paramsFile = fullSizeParamsFile(nb);
      console.error(
        `llmlab start: ${basename(nb)} at full size${paramsFile ? ` (${paramsFile})` : " (no full-size file: its defaults)"}`,
      );
      const code = await runCommand([nb], { out: executed, json: part, paramsFile, timeout: opts.timeout });
      const r = JSON.parse(readFileSync(part, "utf8")) as RunReport;
      merged.notebooks.push(...r.notebooks);
      merged.ok = merged.ok && code === 0;
    }
  } finally {
    rmSync(parts, { recursive: true, force: true });
  }
  writeAtomic(report, JSON.stringify(merged, null, 2) + "\n");
  return { ok: !!merged.ok, report };
}

export function register(program: Command): void {
  program
    .command("start")
    .description("run the whole course headless (CI size by default), build the HTML book and serve it")
    .option("--full", "full-size parameters (notebooks/full-size/*.json); hours, not minutes")
    .option("--no-serve", "build the book and exit")
    .option("--port <port>", "port on 127.0.0.1", parsePort, 8000)
    .option("--timeout <seconds>", "per-cell limit passed to the runner", Number)
    .option("--out <dir>", "where executed notebooks, report.json and book/ go", "out")
    .action(async (opts: StartOptions) => {
      const root = packageRoot();
      const out = resolve(root, opts.out);
      const notebooks = courseNotebooks(root);
      if (notebooks.length === 0) throw new Error(`no notebooks in ${join(root, "notebooks")}`);
      console.error(`llmlab start: ${notebooks.length} notebooks at ${opts.full ? "full" : "CI"} size -> ${out}`);
      const run = await runCourse(runCommand, notebooks, { ...opts, out });
      const book = buildBook({ inDir: join(out, "executed"), outDir: join(out, "book"), report: run.report });
      console.log(
        `book: ${book.chapters.length} chapters in ${book.outDir}${run.ok ? "" : " (some notebooks failed: see its Run summary page)"}`,
      );
      if (opts.serve) await serveUntilInterrupted(book.outDir, opts.port);
      else console.log(`open ${book.index}`);
      if (!run.ok) process.exitCode = 1;
    });
}
