// The `display` global of every cell: IPython's display(value, display_id=, update=)
// plus tslab's typed helpers (display.html(s), ...), so tslab notebooks keep working.
import { formatValue } from "./format";
import { DisplayOptions, MimeBundle, SendDisplay } from "./types";

export interface Display {
  (value: unknown, opts?: DisplayOptions): void;
  html(s: string, opts?: DisplayOptions): void;
  markdown(s: string, opts?: DisplayOptions): void;
  latex(s: string, opts?: DisplayOptions): void;
  svg(s: string, opts?: DisplayOptions): void;
  png(b: Uint8Array | string, opts?: DisplayOptions): void;
  jpeg(b: Uint8Array | string, opts?: DisplayOptions): void;
  gif(b: Uint8Array | string, opts?: DisplayOptions): void;
  pdf(b: Uint8Array | string, opts?: DisplayOptions): void;
  javascript(s: string, opts?: DisplayOptions): void;
  text(s: string, opts?: DisplayOptions): void;
  /** One MIME type, or a whole bundle when `mime` is an object. */
  raw(mime: string | MimeBundle, data?: unknown, opts?: DisplayOptions): void;
  /** clear_output: with wait, the front end clears only when the next output arrives. */
  clearOutput(opts?: { wait?: boolean }): void;
}

/** Binary data travels base64-encoded in JSON, as Jupyter expects for images. */
function encode(data: unknown): unknown {
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("base64");
  return data;
}

export function createDisplay(send: SendDisplay, clear: (wait: boolean) => void): Display {
  const raw = (mime: string | MimeBundle, data?: unknown, opts?: DisplayOptions) => {
    const bundle: MimeBundle = {};
    if (typeof mime === "string") bundle[mime] = encode(data);
    else for (const [k, v] of Object.entries(mime)) bundle[k] = encode(v);
    if (typeof mime !== "string") opts = data as DisplayOptions | undefined;
    send({ data: bundle, metadata: {} }, opts);
  };
  const one = (mimeType: string) => (s: unknown, opts?: DisplayOptions) => raw(mimeType, s, opts);
  const display = ((value: unknown, opts?: DisplayOptions) => send(formatValue(value), opts)) as Display;
  display.html = one("text/html");
  display.markdown = one("text/markdown");
  display.latex = one("text/latex");
  display.svg = one("image/svg+xml");
  display.png = one("image/png");
  display.jpeg = one("image/jpeg");
  display.gif = one("image/gif");
  display.pdf = one("application/pdf");
  display.javascript = one("application/javascript");
  display.text = one("text/plain");
  display.raw = raw;
  display.clearOutput = (opts?: { wait?: boolean }) => clear(Boolean(opts?.wait));
  return display;
}
