// The run report: one row per notebook on stdout, and the same as JSON for tools.
import type { RunResult } from "./run";
import type { RunSize } from "./size";

export interface NotebookReport {
  path: string;
  out?: string;
  status: RunResult["status"] | "not-started";
  seconds: number;
  cells: { total: number; executed: number; skipped: number; failed: number };
  metrics: Record<string, unknown>;
  /** At which size it ran (absent when it could not start). */
  size?: RunSize;
  failure?: { cell: number; cellId: string; ename: string; evalue: string; message: string };
}

export interface Report {
  ok: boolean;
  notebooks: NotebookReport[];
}

export function notebookReport(r: RunResult): NotebookReport {
  const count = (s: string) => r.cells.filter((c) => c.status === s).length;
  return {
    path: r.path,
    out: r.outPath,
    status: r.status,
    seconds: Math.round(r.seconds * 1000) / 1000,
    cells: {
      total: r.cells.length,
      executed: r.cells.filter((c) => c.status !== "skipped" && c.status !== "not-run").length,
      skipped: count("skipped"),
      failed: r.cells.filter((c) => c.status === "error" || c.status === "timeout" || c.status === "dead").length,
    },
    metrics: r.metrics,
    size: r.size,
    failure: r.failure && {
      cell: r.failure.cell,
      cellId: r.failure.cellId,
      ename: r.failure.ename,
      evalue: r.failure.evalue,
      message: r.failure.message,
    },
  };
}

/** A report for a notebook that could not start (bad parameters, no kernelspec). */
export function notStarted(path: string, err: Error): NotebookReport {
  return {
    path,
    status: "not-started",
    seconds: 0,
    cells: { total: 0, executed: 0, skipped: 0, failed: 0 },
    metrics: {},
    failure: { cell: -1, cellId: "", ename: err.name, evalue: err.message, message: err.message },
  };
}

function formatMetric(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toPrecision(4);
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s.length > 24 ? `${s.slice(0, 23)}…` : s;
}

export function formatTable(rows: NotebookReport[]): string {
  const table = [
    ["notebook", "status", "seconds", "cells", "metrics"],
    ...rows.map((r) => [
      r.path,
      r.status,
      r.seconds.toFixed(1),
      `${r.cells.executed}/${r.cells.total - r.cells.skipped}`,
      Object.entries(r.metrics)
        .map(([k, v]) => `${k}=${formatMetric(v)}`)
        .join(" "),
    ]),
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  return table
    .map((row) =>
      row
        .map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i])))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
