// Turns any value into a MIME bundle: the object's own Jupyter display method first,
// then registered formatters (plotly, danfo, tensors, ...), then Node's REPL text.
import { inspect } from "util";
import { DisplayBundle, Formatter, JUPYTER_DISPLAY, MimeBundle } from "./types";

const formatters: Formatter[] = [];

/** Later registrations win, so a notebook can override a built-in formatter. */
export function registerFormatter(f: Formatter): void {
  formatters.unshift(f);
}

/** text/plain exactly as Node's REPL would print the value. */
export function plainText(value: unknown): string {
  return inspect(value);
}

export function formatValue(value: unknown): DisplayBundle {
  const own = ownBundle(value);
  const bundle = own ?? firstFormatted(value);
  if (!bundle) return { data: { "text/plain": plainText(value) }, metadata: {} };
  // Every output keeps a text/plain fallback, for consoles and for nbconvert --to script.
  const data: MimeBundle = { ...bundle.data };
  if (data["text/plain"] === undefined) data["text/plain"] = plainText(value);
  return { data, metadata: bundle.metadata ?? {} };
}

function ownBundle(value: unknown): DisplayBundle | undefined {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return undefined;
  const method = (value as { [JUPYTER_DISPLAY]?: unknown })[JUPYTER_DISPLAY];
  if (typeof method !== "function") return undefined;
  const out = (method as () => unknown).call(value);
  return asBundle(out, '[Symbol.for("Jupyter.display")]()');
}

function firstFormatted(value: unknown): DisplayBundle | undefined {
  for (const f of formatters) {
    const out = f(value);
    if (out) return asBundle(out, "a registered formatter");
  }
  return undefined;
}

/** Accepts {data, metadata} or a bare MIME bundle ({"text/html": ...}). */
function asBundle(out: unknown, from: string): DisplayBundle {
  if (out === null || typeof out !== "object") {
    throw new TypeError(`${from} returned ${out === null ? "null" : typeof out}, expected a MIME bundle object`);
  }
  const o = out as Partial<DisplayBundle>;
  if (o.data && typeof o.data === "object") return { data: o.data, metadata: o.metadata ?? {} };
  return { data: out as MimeBundle, metadata: {} };
}
