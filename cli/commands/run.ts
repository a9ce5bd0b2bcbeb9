// `llmlab run`: execute notebooks headlessly through a kernel, papermill-style parameters.
import { Command, InvalidArgumentError } from "commander";
import { randomBytes } from "crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "fs";
import { basename, dirname, join, resolve } from "path";
import { readNotebook } from "../../kernel-ext/runner/nbformat";
import { parseCliParams } from "../../kernel-ext/runner/params";
import { Report, formatTable, notStarted, notebookReport } from "../../kernel-ext/runner/report";
import { Progress, runNotebook } from "../../kernel-ext/runner/run";

export interface RunCliOptions {
  out?: string;
  inplace?: boolean;
  param?: string[];
  paramsFile?: string;
  timeout?: number;
  kernel?: string;
  allowErrors?: boolean;
  json?: string;
  verbose?: boolean;
}

interface Io {
  out(s: string): void;
  err(s: string): void;
}
const stdio: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

export function register(program: Command): void {
  program
    .command("run")
    .description("execute notebooks through a Jupyter kernel and write them with their outputs")
    .argument("<notebooks...>", "notebooks to run, in order")
    .option("--out <dir>", "write executed notebooks into DIR (default: out/)")
    .option("--inplace", "overwrite the notebooks with their executed versions")
    .option(
      "-p, --param <name=value>",
      "set a parameter (repeatable); value is JSON, or a plain string",
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option("--params-file <file.json>", "parameters from a JSON object (-p wins)")
    .option("--timeout <seconds>", "per-cell limit: interrupt, then kill the kernel", positiveNumber)
    .option("--kernel <name>", "kernelspec to use (default: the notebook's, else llmlab)")
    .option("--allow-errors", "keep running after a failing cell (the run still reports it)")
    .option("--json <report.json>", "also write the report as JSON")
    .option("--verbose", "forward the kernel's own log to stderr")
    .action(async (notebooks: string[], opts: RunCliOptions) => {
      process.exitCode = await runCommand(notebooks, opts);
    });
}

function positiveNumber(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive number of seconds, got "${v}"`);
  return n;
}

function readParamsFile(file: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`--params-file ${file}: ${(err as Error).message}`);
  }
  if (!v || typeof v !== "object" || Array.isArray(v))
    throw new Error(`--params-file ${file}: expected a JSON object of name: value`);
  return v as Record<string, unknown>;
}

function progressLine(p: Progress): string | undefined {
  const where = `[${p.notebook}] cell ${p.step}/${p.steps} (#${p.cell + 1})`;
  if (p.phase === "start") return `${where} running, ${p.elapsed.toFixed(1)} s elapsed\n`;
  return p.status === "ok" ? undefined : `${where} ${p.status}\n`;
}

/** Runs the notebooks one after another; returns the process exit code (0: all ok). */
export async function runCommand(notebooks: string[], opts: RunCliOptions, io: Io = stdio): Promise<number> {
  if (opts.out && opts.inplace) throw new Error("--out and --inplace exclude each other");
  const fileParams = opts.paramsFile ? readParamsFile(opts.paramsFile) : {};
  const outDir = opts.inplace ? undefined : resolve(opts.out ?? "out");
  if (outDir) mkdirSync(outDir, { recursive: true });

  const report: Report = { ok: true, notebooks: [] };
  for (const path of notebooks) {
    const outPath = outDir ? join(outDir, basename(path)) : path;
    try {
      const params = { ...fileParams, ...parseCliParams(opts.param ?? [], readNotebook(path)) };
      const result = await runNotebook(path, {
        params,
        paramsFile: opts.paramsFile ? { path: opts.paramsFile, values: fileParams } : undefined,
        timeout: opts.timeout,
        kernelName: opts.kernel,
        allowErrors: opts.allowErrors,
        outPath,
        onProgress: (p) => {
          const line = progressLine(p);
          if (line) io.err(line);
        },
        onKernelLog: opts.verbose ? (t) => io.err(t) : undefined,
      });
      if (result.failure) io.err(`${result.failure.message}\nexecuted notebook written to ${outPath}\n`);
      report.notebooks.push(notebookReport(result));
    } catch (err) {
      io.err(`llmlab run: ${(err as Error).message}\n`);
      report.notebooks.push(notStarted(path, err as Error));
    }
  }
  report.ok = report.notebooks.every((n) => n.status === "ok");
  io.out(formatTable(report.notebooks) + "\n");
  if (opts.json) writeAtomically(opts.json, JSON.stringify(report, null, 2) + "\n");
  return report.ok ? 0 : 1;
}

function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  const tmp = `${path}.${randomBytes(3).toString("hex")}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
