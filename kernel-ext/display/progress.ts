// A progress bar for long cells: one display updated in place (update_display_data with a
// display_id), throttled so a fast loop does not flood the front end. Where the front end
// cannot update displays (a headless log), it prints a plain line per update instead,
// rate-limited, plus the first and the last.
import { randomUUID } from "crypto";
import type { DisplayBundle, SendDisplay } from "./types";
import { escapeHtml, formatNumber } from "./html";

export interface ProgressOptions {
  total: number;
  label?: string;
  /** Whether the front end applies update_display_data (the kernel knows). */
  canUpdate: boolean;
  /** Least time between two sent updates, in ms (default 200; plain lines: 2000). */
  minIntervalMs?: number;
  /** Where plain lines go when !canUpdate (default: stdout, which the kernel streams). */
  write?: (text: string) => void;
  /** Clock in ms, for tests. */
  now?: () => number;
}

export interface Progress {
  /** `n`: steps done so far (a position, not an increment); `info`: e.g. {loss: 1.9}. */
  update(n: number, info?: Record<string, number | string>): void;
  /** Shows the final state; later updates are ignored. */
  close(): void;
}

/** mm:ss, or h:mm:ss past an hour (as tqdm prints durations). */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return hh ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}

interface State {
  n: number;
  info: Record<string, number | string>;
  elapsed: number;
}

/** "label: 12/100 (12%) [00:03<00:22] loss=1.9" */
export function progressLine(label: string, total: number, s: State): string {
  const pct = Math.floor((100 * s.n) / total);
  const eta = s.n > 0 && s.n < total ? `<${formatDuration((s.elapsed * (total - s.n)) / s.n)}` : "";
  const info = Object.entries(s.info).map(([k, v]) => `${k}=${typeof v === "number" ? formatNumber(v) : v}`);
  return [`${label ? `${label}: ` : ""}${s.n}/${total} (${pct}%) [${formatDuration(s.elapsed)}${eta}]`, ...info].join(
    " ",
  );
}

export function progressBundle(label: string, total: number, s: State): DisplayBundle {
  const line = progressLine(label, total, s);
  const html =
    `<div class="llmlab-progress"><progress value="${s.n}" max="${total}" style="width: 40ch; vertical-align: middle;"></progress>` +
    ` <span>${escapeHtml(line)}</span></div>`;
  return { data: { "text/plain": line, "text/html": html }, metadata: {} };
}

export function createProgress(send: SendDisplay, opts: ProgressOptions): Progress {
  const { total } = opts;
  if (!(typeof total === "number" && Number.isFinite(total) && total > 0)) {
    throw new Error(`progress: total must be a positive number, got ${String(total)}`);
  }
  const label = opts.label ?? "";
  const now = opts.now ?? (() => performance.now());
  const write = opts.write ?? ((t: string) => void process.stdout.write(t));
  const minInterval = opts.minIntervalMs ?? (opts.canUpdate ? 200 : 2000);
  const displayId = `llmlab-progress-${randomUUID()}`;
  const start = now();
  let state: State = { n: 0, info: {}, elapsed: 0 };
  let lastSent = -Infinity;
  let sentState: State | undefined;
  let closed = false;
  let trailing: NodeJS.Timeout | undefined;

  const emit = (first = false) => {
    clearTimeout(trailing);
    trailing = undefined;
    lastSent = now();
    sentState = state;
    if (opts.canUpdate) send(progressBundle(label, total, state), { displayId, update: !first });
    else write(progressLine(label, total, state) + "\n");
  };

  emit(true);

  return {
    update(n, info) {
      if (closed) return;
      if (!(typeof n === "number" && Number.isFinite(n)))
        throw new Error(`progress.update: n must be a number of steps done, got ${String(n)}`);
      state = { n: Math.min(Math.max(0, n), total), info: info ?? state.info, elapsed: (now() - start) / 1000 };
      if (now() - lastSent >= minInterval || state.n === total) return emit();
      // Show the latest state once the interval has passed, even if the loop goes quiet.
      if (opts.canUpdate && !trailing) {
        trailing = setTimeout(() => !closed && emit(), Math.max(0, minInterval - (now() - lastSent)));
        trailing.unref();
      }
    },
    close() {
      if (closed) return;
      closed = true;
      state = { ...state, elapsed: (now() - start) / 1000 };
      if (sentState === undefined || sentState.n !== state.n || sentState.info !== state.info || opts.canUpdate) emit();
      clearTimeout(trailing);
    },
  };
}
