// Runs one notebook through a kernel, as nbclient + papermill do, with TypeScript parameters.
import { basename, dirname, resolve } from "path";
import { METRICS_MIME } from "../display/types";
import type { Message } from "../protocol/wire";
import { KernelClient, KernelDiedError, sleep } from "../protocol/client";
import { findKernelSpec } from "./kernelspec";
import { CodeCell, ErrorOutput, Notebook, Output, cellTags, joinSource, readNotebook, writeNotebook } from "./nbformat";
import { OutputCollector } from "./outputs";
import { injectParameters } from "./params";
import { WIDGET_STATE_MIME, WidgetStateRecorder } from "./widget-state";
import { RunSize, runSize } from "./size";
import { stripAnsi } from "./ansi";

export const SKIP_TAG = "skip-execution";
export const RAISES_TAG = "raises-exception";

export interface RunOptions {
  /** Values for the parameters cell (names must be declared there). */
  params?: Record<string, unknown>;
  /** The --params-file `params` came from, and its own values (to tell full size from custom). */
  paramsFile?: { path: string; values: Record<string, unknown> };
  /** Seconds per cell before interrupting it; 0 or undefined: no limit. */
  timeout?: number;
  /** Kernelspec name; defaults to the notebook's metadata.kernelspec.name, then "llmlab". */
  kernelName?: string;
  /** Keep going after a failing cell (as nbclient's allow_errors). */
  allowErrors?: boolean;
  /** Where to write the executed notebook (atomically); not written when undefined. */
  outPath?: string;
  /** Kernel working directory; defaults to the notebook's folder, as nbconvert does. */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  startTimeout?: number;
  heartbeatTimeout?: number;
  /** Seconds to wait for a timed-out cell to stop after an interrupt before killing the kernel. */
  interruptGrace?: number;
  onProgress?: (p: Progress) => void;
  onKernelLog?: (text: string) => void;
}

export interface Progress {
  notebook: string;
  /** 1-based position among the cells that will execute, and their count. */
  step: number;
  steps: number;
  /** Index of the cell in the notebook (0-based). */
  cell: number;
  phase: "start" | "done";
  status?: CellStatus;
  elapsed: number;
}

export type CellStatus = "ok" | "error" | "skipped" | "timeout" | "dead" | "not-run";
export type RunStatus = "ok" | "error" | "timeout" | "dead";

export interface CellRecord {
  index: number;
  id: string;
  status: CellStatus;
  seconds: number;
  executionCount: number | null;
}

export interface RunFailure {
  /** 0-based index of the cell in the notebook; `message` says it 1-based, as people count. */
  cell: number;
  cellId: string;
  ename: string;
  evalue: string;
  traceback: string[];
  message: string;
}

export interface RunResult {
  path: string;
  outPath?: string;
  kernel: string;
  notebook: Notebook;
  /** Every output of every cell, in notebook order. */
  outputs: Output[];
  /** Every application/vnd.llmlab.metrics+json output merged, in notebook order. */
  metrics: Record<string, unknown>;
  status: RunStatus;
  seconds: number;
  cells: CellRecord[];
  failure?: RunFailure;
  /** CI size (the defaults), full size or custom parameters; also in the notebook's metadata.llmlab.size. */
  size: RunSize;
}

const IOPUB_GRACE_MS = 4000; // nbclient's iopub_timeout: outputs may trail the reply

export async function runNotebook(path: string, opts: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  const name = basename(path);
  const nb = injectParameters(readNotebook(path), opts.params ?? {}, name);
  const size = runSize(opts.params ?? {}, opts.paramsFile?.path, opts.paramsFile?.values);
  nb.metadata.llmlab = { ...(nb.metadata.llmlab as Record<string, unknown> | undefined), size };
  const kernelspec = nb.metadata.kernelspec as { name?: string } | undefined;
  const kernelName = opts.kernelName ?? kernelspec?.name ?? "llmlab";
  const spec = findKernelSpec(kernelName, opts.env);

  const runnable = (c: CodeCell) => joinSource(c.source).trim() !== "" && !cellTags(c).includes(SKIP_TAG);
  const records: CellRecord[] = [];
  const steps = nb.cells.filter((c) => c.cell_type === "code" && runnable(c)).length;
  for (const [index, cell] of nb.cells.entries()) {
    if (cell.cell_type !== "code") continue;
    const run = runnable(cell);
    if (run) {
      cell.outputs = [];
      cell.execution_count = null;
    }
    records.push({
      index,
      id: cell.id,
      status: run ? "not-run" : "skipped",
      seconds: 0,
      executionCount: cell.execution_count,
    });
  }

  const kc = await KernelClient.start(spec, {
    cwd: opts.cwd ?? dirname(resolve(path)),
    env: opts.env,
    startTimeout: opts.startTimeout,
    heartbeatTimeout: opts.heartbeatTimeout,
    onKernelLog: opts.onKernelLog,
  });
  const languageInfo = kc.kernelInfo.language_info;
  if (languageInfo && typeof languageInfo === "object") nb.metadata.language_info = languageInfo;

  const collector = new OutputCollector();
  const widgets = new WidgetStateRecorder();
  let status: RunStatus = "ok";
  let failure: RunFailure | undefined;
  let step = 0;
  try {
    for (const rec of records) {
      if (rec.status === "skipped") continue;
      const cell = nb.cells[rec.index] as CodeCell;
      step++;
      const t0 = performance.now();
      opts.onProgress?.({
        notebook: name,
        step,
        steps,
        cell: rec.index,
        phase: "start",
        elapsed: (t0 - started) / 1000,
      });
      const allowed = !!opts.allowErrors || cellTags(cell).includes(RAISES_TAG);
      const outcome = await executeCell(kc, cell, collector, allowed, opts, widgets);
      rec.seconds = (performance.now() - t0) / 1000;
      rec.executionCount = cell.execution_count;
      rec.status = outcome.status;
      opts.onProgress?.({
        notebook: name,
        step,
        steps,
        cell: rec.index,
        phase: "done",
        status: rec.status,
        elapsed: (performance.now() - started) / 1000,
      });
      if (outcome.status === "ok" || (outcome.status === "error" && allowed)) continue;
      status = outcome.status === "error" ? "error" : outcome.status;
      failure = describeFailure(name, rec.index, cell, outcome.error, outcome.status === "dead" ? kc.logTail : "");
      break;
    }
  } finally {
    await kc.shutdown(kc.dead || kc.child.exitCode !== null ? 0 : 3000);
  }

  // Saved widget state, so the book (and any viewer) can draw the controls as the run left them.
  const widgetState = widgets.metadata();
  if (widgetState) nb.metadata.widgets = { [WIDGET_STATE_MIME]: widgetState };
  if (opts.outPath) writeNotebook(opts.outPath, nb);
  const outputs = nb.cells.flatMap((c) => (c.cell_type === "code" ? c.outputs : []));
  return {
    path,
    outPath: opts.outPath,
    kernel: kernelName,
    notebook: nb,
    outputs,
    metrics: collectMetrics(outputs),
    status,
    seconds: (performance.now() - started) / 1000,
    cells: records,
    failure,
    size,
  };
}

interface CellOutcome {
  status: "ok" | "error" | "timeout" | "dead";
  error?: { ename: string; evalue: string; traceback: string[] };
}

/** One execute_request: wait for its reply and its idle status, a timeout, or the kernel's death. */
async function executeCell(
  kc: KernelClient,
  cell: CodeCell,
  collector: OutputCollector,
  allowErrors: boolean,
  opts: RunOptions,
  widgets: WidgetStateRecorder,
): Promise<CellOutcome> {
  collector.begin(cell);
  let markIdle!: () => void;
  const idle = new Promise<void>((r) => (markIdle = r));
  let stop: () => void;
  // Timestamps as nbclient's record_timing writes them (the kernel's own message dates).
  const timing: Record<string, string> = {};
  cell.metadata.execution = timing;
  const onIopub = (msg: Message) => {
    const type = msg.header.msg_type;
    widgets.handle(msg);
    if (type === "execute_input") timing["iopub.execute_input"] = msg.header.date;
    if (type === "status" && msg.content.execution_state === "busy") timing["iopub.status.busy"] = msg.header.date;
    if (type === "status" && msg.content.execution_state === "idle") {
      timing["iopub.status.idle"] = msg.header.date;
      markIdle();
    } else collector.handle(msg, cell);
  };
  let reply: Promise<Message>;
  try {
    const req = await kc.request(
      "shell",
      "execute_request",
      {
        code: joinSource(cell.source),
        silent: false,
        store_history: true,
        user_expressions: {},
        allow_stdin: false,
        stop_on_error: !allowErrors,
      },
      onIopub,
    );
    stop = req.stopListening;
    reply = req.reply;
  } catch (err) {
    if (err instanceof KernelDiedError) return dead(cell, err.message);
    throw err;
  }
  const timeoutMs = opts.timeout && opts.timeout > 0 ? opts.timeout * 1000 : undefined;
  try {
    const first = await Promise.race([
      reply.then((m) => ({ kind: "reply" as const, m })),
      kc.died.then((reason) => ({ kind: "dead" as const, reason })),
      ...(timeoutMs ? [sleep(timeoutMs).then(() => ({ kind: "timeout" as const }))] : []),
    ]).catch((err: unknown) => ({ kind: "dead" as const, reason: String((err as Error).message ?? err) }));

    if (first.kind === "dead") return dead(cell, first.reason);
    if (first.kind === "timeout") return await timedOut(kc, cell, reply, idle, opts);
    timing["shell.execute_reply"] = first.m.header.date;
    await Promise.race([idle, sleep(IOPUB_GRACE_MS), kc.died]);
    return fromReply(first.m, cell);
  } finally {
    stop();
  }
}

function fromReply(m: Message, cell: CodeCell): CellOutcome {
  const c = m.content as {
    status?: string;
    ename?: string;
    evalue?: string;
    traceback?: unknown;
    execution_count?: number;
  };
  if (typeof c.execution_count === "number") cell.execution_count = c.execution_count;
  if (c.status === "ok") return { status: "ok" };
  // Prefer the error output (what the notebook shows); a kernel may put it only in the reply.
  const shown = cell.outputs.find((o): o is ErrorOutput => o.output_type === "error");
  const error = shown
    ? { ename: shown.ename, evalue: shown.evalue, traceback: shown.traceback }
    : {
        ename: c.ename ?? (c.status === "aborted" ? "Aborted" : "Error"),
        evalue:
          c.evalue ??
          (c.status === "aborted"
            ? "the kernel aborted this execution"
            : "the kernel reported an error without details"),
        traceback: Array.isArray(c.traceback) ? c.traceback.map(String) : [],
      };
  return { status: "error", error };
}

async function timedOut(
  kc: KernelClient,
  cell: CodeCell,
  reply: Promise<Message>,
  idle: Promise<void>,
  opts: RunOptions,
): Promise<CellOutcome> {
  const limit = opts.timeout as number;
  const graceMs = (opts.interruptGrace ?? 10) * 1000;
  try {
    await kc.interrupt();
  } catch {
    // the kernel may be dying; the race below sees it
  }
  const after = await Promise.race([
    reply.then(() => "stopped" as const),
    kc.died.then(() => "dead" as const),
    sleep(graceMs).then(() => "stuck" as const),
  ]).catch(() => "dead" as const);
  if (after === "stopped") await Promise.race([idle, sleep(IOPUB_GRACE_MS)]);
  const how =
    after === "stopped"
      ? "the interrupt stopped it"
      : after === "dead"
        ? "the kernel died when interrupted"
        : `the interrupt did not stop it within ${graceMs / 1000} s, so the kernel was killed`;
  if (after !== "stopped") kc.kill();
  const error = {
    ename: "CellTimeoutError",
    evalue: `cell ran longer than the timeout of ${limit} s; ${how}`,
    traceback: [] as string[],
  };
  cell.outputs.push({ output_type: "error", ...error, traceback: [`${error.ename}: ${error.evalue}`] });
  return { status: "timeout", error };
}

function dead(cell: CodeCell, reason: string): CellOutcome {
  const error = {
    ename: "DeadKernelError",
    evalue: `the kernel died while running this cell: ${reason}`,
    traceback: [] as string[],
  };
  cell.outputs.push({ output_type: "error", ...error, traceback: [`${error.ename}: ${error.evalue}`] });
  return { status: "dead", error };
}

function describeFailure(
  notebook: string,
  index: number,
  cell: CodeCell,
  error: CellOutcome["error"],
  kernelLog: string,
): RunFailure {
  const e = error ?? { ename: "Error", evalue: "unknown failure", traceback: [] };
  const src = joinSource(cell.source).split("\n");
  const head = src.slice(0, 4).map((l) => `    | ${l}`);
  if (src.length > 4) head.push(`    | … (${src.length - 4} more lines)`);
  let tb = e.traceback.map(stripAnsi).join("\n").trim();
  // Kernels that send no traceback (tslab) usually wrote the error to stderr.
  if (!tb)
    tb = cell.outputs
      .map((o) => (o.output_type === "stream" && o.name === "stderr" ? joinSource(o.text) : ""))
      .join("")
      .trim()
      .split("\n")
      .slice(-15)
      .join("\n");
  tb = stripAnsi(tb);
  const message = [
    `${notebook}: cell ${index + 1} (id ${cell.id}) failed: ${e.ename}: ${e.evalue}`,
    ...head,
    ...(tb ? ["  traceback:", ...tb.split("\n").map((l) => `    ${l}`)] : []),
    ...(kernelLog.trim()
      ? [
          "  kernel log (tail):",
          ...kernelLog
            .trim()
            .split("\n")
            .slice(-15)
            .map((l) => `    ${l}`),
        ]
      : []),
  ].join("\n");
  return { cell: index, cellId: cell.id, ename: e.ename, evalue: e.evalue, traceback: e.traceback, message };
}

/** Merges every metrics bundle, later keys winning, in notebook order. */
export function collectMetrics(outputs: Output[]): Record<string, unknown> {
  const metrics: Record<string, unknown> = {};
  for (const o of outputs) {
    if (o.output_type !== "display_data" && o.output_type !== "execute_result") continue;
    const m = o.data[METRICS_MIME];
    if (m && typeof m === "object" && !Array.isArray(m)) Object.assign(metrics, m);
  }
  return metrics;
}
