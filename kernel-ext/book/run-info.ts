// What ran: the runner's --json report when there is one, else what the executed notebook
// itself records (execution counts, error outputs, nbclient-style timing metadata).
import { existsSync, readFileSync } from "fs";
import { basename } from "path";
import { Notebook, joinText } from "./notebook";
import { METRICS_MIME } from "../display/types";
import { RunSize, sizeOfNotebook } from "../runner/size";

export interface RunInfo {
  status: string;
  seconds?: number;
  executed: number;
  cells: number;
  metrics: Record<string, unknown>;
  failure?: string;
  /** At which size the numbers were produced (CI, full, custom parameters), when known. */
  size?: RunSize;
}

/** The runner's report (kernel-ext/runner/report.ts), as far as the book reads it. */
export interface RunReport {
  ok?: boolean;
  notebooks: {
    path: string;
    out?: string;
    status: string;
    seconds: number;
    cells?: { total: number; executed: number; skipped: number; failed: number };
    metrics?: Record<string, unknown>;
    size?: RunSize;
    failure?: { message?: string; evalue?: string };
  }[];
}

export function readReport(path: string): RunReport {
  const r = JSON.parse(readFileSync(path, "utf8")) as RunReport;
  if (!r || !Array.isArray(r.notebooks))
    throw new Error(`${path}: not a run report (expected {"notebooks": [...]}, as \`llmlab run --json\` writes)`);
  return r;
}

export function findReport(candidates: string[]): RunReport | undefined {
  const found = candidates.find((p) => existsSync(p));
  return found ? readReport(found) : undefined;
}

export function fromReport(report: RunReport | undefined, file: string): RunInfo | undefined {
  const row = report?.notebooks.find((n) => basename(n.out ?? n.path) === file || basename(n.path) === file);
  if (!row) return undefined;
  return {
    status: row.status,
    seconds: row.seconds,
    executed: row.cells?.executed ?? 0,
    cells: row.cells ? row.cells.total - row.cells.skipped : 0,
    metrics: row.metrics ?? {},
    size: row.size,
    failure: row.failure?.message ?? row.failure?.evalue,
  };
}

export function fromNotebook(nb: Notebook): RunInfo {
  const code = nb.cells.filter((c) => c.cell_type === "code" && joinText(c.source).trim() !== "");
  const executed = code.filter((c) => c.execution_count != null).length;
  const error = code.flatMap((c) => c.outputs ?? []).find((o) => o.output_type === "error");
  const metrics: Record<string, unknown> = {};
  let seconds = 0;
  let timed = false;
  for (const c of code) {
    for (const o of c.outputs ?? [])
      if (o.data && typeof o.data[METRICS_MIME] === "object") Object.assign(metrics, o.data[METRICS_MIME]);
    const t = c.metadata?.execution as Record<string, string> | undefined;
    const start = t?.["iopub.status.busy"],
      end = t?.["iopub.status.idle"];
    if (start && end) {
      seconds += (Date.parse(end) - Date.parse(start)) / 1000;
      timed = true;
    }
  }
  const status = executed === 0 ? "not run" : error ? "error" : executed < code.length ? "incomplete" : "ok";
  return {
    status,
    seconds: timed ? seconds : undefined,
    executed,
    cells: code.length,
    metrics,
    failure: error ? `${error.ename}: ${error.evalue}` : undefined,
    size: sizeOfNotebook(nb),
  };
}
