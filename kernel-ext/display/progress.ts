// A progress bar that updates one display in place (or prints a line per update when
// the front end cannot update displays). Minimal version; the formatters work refines it.
import { randomUUID } from "crypto";
import { SendDisplay } from "./types";

export interface Progress {
  update(n: number, info?: Record<string, number | string>): void;
  close(): void;
}

export function createProgress(
  send: SendDisplay,
  opts: { total: number; label?: string; canUpdate: boolean },
): Progress {
  if (!(opts.total > 0)) throw new RangeError(`progress: total must be a positive number, got ${opts.total}`);
  const displayId = randomUUID();
  let shown = false;
  const render = (n: number, info?: Record<string, number | string>) => {
    const frac = Math.min(1, Math.max(0, n / opts.total));
    const width = 30;
    const bar = "#".repeat(Math.round(frac * width)).padEnd(width, ".");
    const extra = info ? " " + Object.entries(info).map(([k, v]) => `${k}=${v}`).join(" ") : "";
    const text = `${opts.label ? opts.label + " " : ""}[${bar}] ${n}/${opts.total}${extra}`;
    const bundle = { data: { "text/plain": text }, metadata: {} };
    if (!opts.canUpdate) send(bundle);
    else send(bundle, { displayId, update: shown });
    shown = true;
  };
  return { update: render, close: () => undefined };
}
