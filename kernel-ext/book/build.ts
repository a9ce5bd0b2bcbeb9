// `llmlab book`: executed notebooks in, a static HTML book out (works from file:// or any
// static server, no network: KaTeX is rendered here, plotly.js and fonts are copied in).
import { randomBytes } from "crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "fs";
import { basename, dirname, join, resolve } from "path";
import { BOOK_CSS, BOOK_JS, vendorAssets } from "./assets";
import { chapterHtml } from "./chapter";
import { createMarkdown } from "./markdown";
import { notebookTitle, readNotebook } from "./notebook";
import { ChapterEntry, indexBody, page, runBody, sizeNote } from "./pages";
import { RenderContext, WIDGET_STATE_MIME } from "./outputs";
import { RunReport, findReport, fromNotebook, fromReport, readReport } from "./run-info";

export interface BookOptions {
  /** Folder of executed notebooks (*.ipynb). */
  inDir: string;
  outDir: string;
  /** The runner's --json report; default: report.json in inDir or next to it. */
  report?: string;
  title?: string;
  /** HTML shown above the table of contents. */
  intro?: string;
}

export interface BookResult {
  outDir: string;
  index: string;
  chapters: (ChapterEntry & { plots: number; widgets: number })[];
}

/** Course order: the NN- prefix as a number, then the name; unnumbered notebooks last. */
export function courseOrder(files: string[]): string[] {
  const key = (f: string) => {
    const m = /^(\d+)[-_]/.exec(f);
    return m ? Number(m[1]) : Infinity;
  };
  return files.slice().sort((a, b) => key(a) - key(b) || a.localeCompare(b));
}

function writeAtomic(path: string, data: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

function copyAsset(from: string, to: string): void {
  if (statSync(from).isDirectory()) {
    for (const f of readdirSync(from)) copyAsset(join(from, f), join(to, f));
  } else writeAtomic(to, readFileSync(from));
}

export function buildBook(opts: BookOptions): BookResult {
  const inDir = resolve(opts.inDir);
  const outDir = resolve(opts.outDir);
  if (!existsSync(inDir) || !statSync(inDir).isDirectory())
    throw new Error(`book: --in ${opts.inDir} is not a folder of executed notebooks`);
  const files = courseOrder(readdirSync(inDir).filter((f) => f.endsWith(".ipynb")));
  if (files.length === 0)
    throw new Error(
      `book: no .ipynb files in ${opts.inDir} (run them first: llmlab run notebooks/*.ipynb --out ${opts.inDir})`,
    );
  let report: RunReport | undefined;
  let reportPath: string | undefined;
  if (opts.report) {
    report = readReport(opts.report);
    reportPath = opts.report;
  } else {
    const candidates = [join(inDir, "report.json"), join(dirname(inDir), "report.json")];
    report = findReport(candidates);
    reportPath = candidates.find((p) => existsSync(p));
  }
  const bookTitle = opts.title ?? "llmlab: train a small language model, in TypeScript";
  const md = createMarkdown();

  const notebooks = files.map((f) => ({ file: f, nb: readNotebook(join(inDir, f)) }));
  const chapters: (ChapterEntry & { plots: number; widgets: number; widgetState?: unknown; body: string })[] =
    notebooks.map(({ file, nb }) => {
      const widgetState = savedWidgetState(nb.metadata);
      const ctx: RenderContext = {
        md,
        plots: 0,
        widgets: 0,
        widgetModels: new Set(Object.keys(widgetState?.state ?? {})),
      };
      const run = fromReport(report, file) ?? fromNotebook(nb);
      // The report's row may predate size records: the executed notebook's own record then.
      if (!run.size) run.size = fromNotebook(nb).size;
      const body = sizeNote(run) + "\n" + chapterHtml(nb, ctx);
      return {
        notebook: file,
        page: `${basename(file, ".ipynb")}.html`,
        title: notebookTitle(nb, basename(file, ".ipynb")),
        run,
        plots: ctx.plots,
        widgets: ctx.widgets ?? 0,
        widgetState: ctx.widgets ? widgetState : undefined,
        body,
      };
    });

  mkdirSync(outDir, { recursive: true });
  const assets = join(outDir, "assets");
  for (const [from, to] of vendorAssets({ widgets: chapters.some((c) => c.widgets > 0) }))
    copyAsset(from, join(assets, to));
  writeAtomic(join(assets, "book.css"), BOOK_CSS);
  writeAtomic(join(assets, "book.js"), BOOK_JS);

  chapters.forEach((c, i) => {
    writeAtomic(
      join(outDir, c.page),
      page({
        bookTitle,
        title: c.title,
        body: c.body,
        plotly: c.plots > 0,
        widgetState: c.widgetState,
        prev: chapters[i - 1],
        next: chapters[i + 1],
      }),
    );
  });
  const intro =
    opts.intro ??
    "<p>Every chapter is a notebook of the course, executed; its outputs are the ones it produced on the run below.</p>";
  const index = join(outDir, "index.html");
  writeAtomic(index, page({ bookTitle, title: "Contents", body: indexBody(bookTitle, chapters, intro) }));
  const source = reportPath
    ? `the runner's report ${basename(reportPath)}`
    : "the executed notebooks (no run report found)";
  writeAtomic(join(outDir, "run.html"), page({ bookTitle, title: "Run summary", body: runBody(chapters, source) }));
  // Pages of notebooks that are gone from inDir would be stale links: remove them.
  const pages = new Set(chapters.map((c) => c.page));
  for (const f of readdirSync(outDir)) if (/^\d+[-_].*\.html$/.test(f) && !pages.has(f)) rmSync(join(outDir, f));
  return { outDir, index, chapters: chapters.map(({ body: _body, widgetState: _state, ...c }) => c) };
}

/** metadata.widgets[application/vnd.jupyter.widget-state+json], as JupyterLab, nbclient and our runner save it. */
function savedWidgetState(
  metadata: Record<string, unknown> | undefined,
): { state: Record<string, unknown> } | undefined {
  const s = (metadata?.widgets as Record<string, unknown> | undefined)?.[WIDGET_STATE_MIME] as
    { state?: unknown } | undefined;
  return s && typeof s.state === "object" && s.state !== null ? (s as { state: Record<string, unknown> }) : undefined;
}
