// The run report: counts per notebook and the aligned summary table.
import type { RunResult } from "./run";
import { formatTable, notStarted, notebookReport } from "./report";

const result = (over: Partial<RunResult>): RunResult => ({
  path: "notebooks/00-welcome.ipynb",
  kernel: "llmlab",
  notebook: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] },
  outputs: [],
  metrics: {},
  status: "ok",
  seconds: 1.23456,
  cells: [],
  size: { kind: "ci", parameters: {} },
  ...over,
});

test("cells are counted by what happened to them", () => {
  const r = notebookReport(
    result({
      status: "error",
      cells: (["ok", "error", "skipped", "not-run", "ok"] as const).map((status, index) => ({
        index,
        id: `c${index}`,
        status,
        seconds: 0,
        executionCount: null,
      })),
      metrics: { loss: 1.5 },
    }),
  );
  expect(r).toMatchObject({
    status: "error",
    seconds: 1.235,
    cells: { total: 5, executed: 3, skipped: 1, failed: 1 },
    metrics: { loss: 1.5 },
  });
});

test("the table aligns columns and shortens metrics", () => {
  const rows = [
    notebookReport(
      result({ metrics: { backend: "cpu", valLoss: 1.934567, steps: 200, note: "a rather long string that goes on" } }),
    ),
    notStarted("notebooks/01-data.ipynb", new Error("unknown parameter x")),
  ];
  expect(formatTable(rows)).toBe(
    [
      "notebook                    status       seconds  cells  metrics",
      "notebooks/00-welcome.ipynb  ok           1.2      0/0    backend=cpu valLoss=1.935 steps=200 note=a rather long string th…", // 23 characters, then …
      "notebooks/01-data.ipynb     not-started  0.0      0/0",
    ].join("\n"),
  );
});
