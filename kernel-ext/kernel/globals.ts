// The globals every cell sees, and their TypeScript declarations (handed to the converter
// as an in-memory module with `declare global`, so cells type-check against them).
import type { Display } from "../display/display";
import type { CommRegistry } from "./comms";

export interface ProgressBar {
  update(n: number, info?: Record<string, number | string>): void;
  close(): void;
}

export interface CellGlobals {
  display: Display;
  publish(metrics: Record<string, unknown>): void;
  progress(opts: { total: number; label?: string }): ProgressBar;
  input(prompt?: string): Promise<string>;
  password(prompt?: string): Promise<string>;
  comms: Pick<CommRegistry, "registerTarget" | "open">;
  /** The running cell's signal, aborted on interrupt. */
  abortSignal(): AbortSignal;
  /** Jupyter widgets (kernel-ext/widgets): the factories and interact. */
  widgets: unknown;
  interact: unknown;
}

export function installGlobals(g: CellGlobals): void {
  const target = globalThis as Record<string, unknown>;
  for (const name of ["display", "publish", "progress", "input", "password", "comms", "widgets", "interact"] as const) {
    Object.defineProperty(target, name, { value: g[name], configurable: true, writable: true, enumerable: false });
  }
  Object.defineProperty(target, "abortSignal", { get: () => g.abortSignal(), configurable: true, enumerable: false });
}

/** `extra` holds the preload modules' declarations (e.g. `llm`). */
export function ambientDeclarations(extra: string[]): string {
  return `
type __DisplayOptions = { displayId?: string; update?: boolean };
interface __Comm {
  readonly id: string;
  readonly target: string;
  send(data: unknown, metadata?: Record<string, unknown>, buffers?: readonly Uint8Array[]): void;
  close(data?: unknown): void;
  onMsg?: (data: unknown, buffers: Uint8Array[]) => void | Promise<void>;
  onClose?: (data: unknown) => void;
}
declare global {
  /** Shows a value with its richest representation (display_data); update: true replaces the output with that displayId. */
  const display: {
    (value: unknown, opts?: __DisplayOptions): void;
    html(s: string, opts?: __DisplayOptions): void;
    markdown(s: string, opts?: __DisplayOptions): void;
    latex(s: string, opts?: __DisplayOptions): void;
    svg(s: string, opts?: __DisplayOptions): void;
    png(b: Uint8Array | string, opts?: __DisplayOptions): void;
    jpeg(b: Uint8Array | string, opts?: __DisplayOptions): void;
    gif(b: Uint8Array | string, opts?: __DisplayOptions): void;
    pdf(b: Uint8Array | string, opts?: __DisplayOptions): void;
    javascript(s: string, opts?: __DisplayOptions): void;
    text(s: string, opts?: __DisplayOptions): void;
    raw(mime: string, data: unknown, opts?: __DisplayOptions): void;
    raw(bundle: Record<string, unknown>, opts?: __DisplayOptions): void;
    clearOutput(opts?: { wait?: boolean }): void;
  };
  /** Publishes the notebook's key numbers (a display_data tests and reports read). */
  function publish(metrics: Record<string, unknown>): void;
  /** A progress bar updated in place. */
  function progress(opts: { total: number; label?: string }): {
    update(n: number, info?: Record<string, number | string>): void;
    close(): void;
  };
  /** Asks the front end for a line of text (stdin input_request). */
  function input(prompt?: string): Promise<string>;
  /** Like input, but the front end hides what is typed. */
  function password(prompt?: string): Promise<string>;
  /** Jupyter comms: register a target the front end opens, or open one. */
  const comms: {
    registerTarget(name: string, handler: (comm: __Comm, data: unknown, buffers: Uint8Array[]) => void): void;
    open(target: string, data?: unknown, metadata?: Record<string, unknown>, buffers?: readonly Uint8Array[]): __Comm;
  };
  /** Aborted when the kernel is interrupted; pass it to long loops ({signal: abortSignal}). */
  const abortSignal: AbortSignal;
${extra.map((d) => "  " + d.trim().split("\n").join("\n  ")).join("\n")}
}
`;
}
