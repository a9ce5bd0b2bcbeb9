// Compiles a cell with tslab's converter (type-checked against earlier cells and the
// kernel's globals) and runs it on this event loop. Adapted from tslab's executor: ours
// returns the value and the error instead of printing them, maps both type errors and
// stack traces to the cell's lines, and races an interrupt against async cells.
import * as vm from "vm";
import { createRequire } from "module";
import * as path from "path";
import { inspect } from "util";
import type { Diagnostic } from "tslab/dist/converter";
import type { AsyncConverter } from "./converter-client";
import { LocalModules } from "./local-modules";
import { CellSource, mapStack, splitSourceMaps, userFrames } from "./traceback";

export type CellOutcome =
  | { status: "ok"; hasValue: boolean; value?: unknown }
  | { status: "error"; ename: string; evalue: string; traceback: string[] };

/** Thrown into an awaiting cell on interrupt; ename as IPython names it. */
export class KeyboardInterrupt extends Error {
  override name = "KeyboardInterrupt";
  constructor() {
    super("the kernel was interrupted");
  }
}

export interface ExecutorOptions {
  /** Modules required by cells resolve from here (the notebook's directory). */
  rootDir: string;
  /** Extra modules cells can require by name (e.g. "tslab" for tslab notebooks). */
  builtins?: Record<string, unknown>;
}

const HANDOFF = "__llmlab_cell__";

export class CellExecutor {
  private prevDecl = "";
  private readonly exports: Record<string, unknown>;
  private readonly require: NodeJS.Require;
  private readonly local: LocalModules;
  private readonly cells = new Map<string, CellSource>();
  private readonly exposed = new Set<string>();

  constructor(
    private readonly converter: AsyncConverter,
    opts: ExecutorOptions,
  ) {
    this.exports = createExports();
    const builtins = opts.builtins ?? {};
    this.local = new LocalModules((dir) => cellRequire(dir, builtins));
    this.require = this.local.wrap(cellRequire(opts.rootDir, builtins), opts.rootDir);
  }

  complete(code: string, pos: number) {
    return this.converter.complete(this.prevDecl, code, pos);
  }

  inspect(code: string, pos: number) {
    return this.converter.inspect(this.prevDecl, code, pos);
  }

  /**
   * `filename` names the cell in tracebacks, e.g. "In[3]". Aborting `signal` interrupts:
   * before the cell starts it does not run; an awaiting cell is rejected at once (its
   * async work stops at its next check of the signal).
   */
  async execute(code: string, filename: string, signal: AbortSignal): Promise<CellOutcome> {
    const converted = await this.converter.convert(this.prevDecl, code);
    if (signal.aborted) return this.runtimeError(new KeyboardInterrupt());
    const errors = converted.diagnostics.filter((d) => d.category === 1);
    if (errors.length > 0) return typeErrors(errors, code, filename);
    this.local.add(converted.sideOutputs);
    if (!converted.output) {
      this.prevDecl = converted.declOutput ?? "";
      return { status: "ok", hasValue: false };
    }
    const cell = splitSourceMaps(converted.output);
    this.cells.set(filename, cell);
    const head = converted.hasToplevelAwait ? "(async function (exports, require) {" : "(function (exports, require) {";
    // The head sits on its own line so that line 1 of the script is line 1 of the code.
    // Call the cell inside the same runInThisContext so that SIGINT breaks a synchronous
    // loop (breakOnSigint); tslab passes the arguments through a global the same way.
    const wrapped = `${head}\n${cell.code}\n})(${HANDOFF}.exports, ${HANDOFF}.require)`;
    try {
      Object.defineProperty(globalThis, HANDOFF, {
        value: { exports: this.exports, require: this.require },
        configurable: true,
        enumerable: false,
      });
      const result: unknown = vm.runInThisContext(wrapped, {
        filename,
        lineOffset: -1,
        breakOnSigint: true,
        // No "file:line + source + caret" header prepended to the stack: we map frames ourselves.
        displayErrors: false,
      });
      if (converted.hasToplevelAwait) await raceAbort(result as Promise<unknown>, signal);
    } catch (err) {
      return this.runtimeError(err);
    } finally {
      // Unlike tslab, keep the cell's declarations even when it threw: what ran before
      // the throw (a helper function, say) exists and later cells may use it, as in IPython.
      this.prevDecl = converted.declOutput ?? "";
      this.exposeLocals();
    }
    const last = converted.lastExpressionVar;
    if (!last || !(last in this.exports)) return { status: "ok", hasValue: false };
    const value = this.exports[last];
    delete this.exports[last];
    return { status: "ok", hasValue: value !== undefined, value };
  }

  /**
   * tslab rewrites references to earlier cells' locals as `exports.x`, but misses some
   * (shorthand properties: `{ x }`); a global accessor catches those. Names that are
   * already globals (process, console, ...) are never shadowed.
   */
  private exposeLocals(): void {
    const g = globalThis as Record<string, unknown>;
    for (const name of Object.keys(this.exports)) {
      // tslab's holder of the last expression's value is not a local.
      if (this.exposed.has(name) || name in g || /^tsLastExpr\d*$/.test(name)) continue;
      this.exposed.add(name);
      Object.defineProperty(g, name, {
        get: () => this.exports[name],
        set: (v: unknown) => (this.exports[name] = v),
        configurable: true,
        enumerable: false,
      });
    }
  }

  /** An error thrown by cell code, its stack mapped to cell lines (for stray errors too). */
  runtimeError(err: unknown): Extract<CellOutcome, { status: "error" }> {
    if (err instanceof Error && /^Script execution (was )?interrupted/.test(err.message)) err = new KeyboardInterrupt();
    if (!(err instanceof Error)) {
      return { status: "error", ename: "Error", evalue: inspect(err), traceback: [`Uncaught ${inspect(err)}`] };
    }
    const mapped = mapStack(err.stack ?? `${err.name}: ${err.message}`, this.cells);
    const traceback = userFrames(mapped, [__dirname]);
    if (err instanceof KeyboardInterrupt) traceback.splice(1);
    return { status: "error", ename: err.name, evalue: err.message, traceback };
  }
}

/**
 * `require` for cells: from the notebook's folder first, then, for a package that folder does
 * not resolve, from the kernel's own installation (the type-checker falls back the same way,
 * tsconverter.ts), so a notebook anywhere on disk can use what the course itself uses.
 */
export function cellRequire(rootDir: string, builtins: Record<string, unknown>): NodeJS.Require {
  const local = createRequire(path.join(rootDir, "__cell__.js"));
  const own = createRequire(__filename);
  const bare = (id: string) => !id.startsWith(".") && !path.isAbsolute(id) && !id.startsWith("node:");
  const notFound = (err: unknown, id: string) =>
    (err as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND" &&
    (err as Error).message.startsWith(`Cannot find module '${id}'`);
  const fallback = <T>(id: string, fromLocal: () => T, fromOwn: () => T): T => {
    try {
      return fromLocal();
    } catch (err) {
      // Only the module asked for may be missing; a missing dependency of a found one is an error.
      if (!bare(id) || !notFound(err, id)) throw err;
      return fromOwn();
    }
  };
  const req = ((id: string) =>
    id in builtins
      ? builtins[id]
      : fallback(
          id,
          () => local(id),
          () => own(id),
        )) as NodeJS.Require;
  const resolve = ((id: string, o?: { paths?: string[] }) =>
    fallback(
      id,
      () => local.resolve(id, o),
      () => own.resolve(id, o),
    )) as NodeJS.RequireResolve;
  resolve.paths = local.resolve.paths;
  return Object.assign(req, { resolve, cache: local.cache, main: local.main, extensions: local.extensions });
}

function raceAbort(p: Promise<unknown>, signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new KeyboardInterrupt());
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function typeErrors(diags: Diagnostic[], code: string, filename: string): CellOutcome {
  const lines = code.split("\n");
  const traceback: string[] = [];
  for (const d of diags) {
    const where = d.fileName ? d.fileName : filename;
    traceback.push(`${where}:${d.start.line + 1}:${d.start.character + 1} - error TS${d.code}: ${d.messageText}`);
    if (!d.fileName && lines[d.start.line] !== undefined) {
      const width = d.start.line === d.end.line ? Math.max(1, d.end.character - d.start.character) : 1;
      traceback.push(`  ${lines[d.start.line]}`, `  ${" ".repeat(d.start.character)}${"~".repeat(width)}`);
    }
  }
  const first = diags[0];
  return {
    status: "error",
    ename: "TSError",
    evalue: `${filename}:${first.start.line + 1}:${first.start.character + 1} - ${first.messageText}`,
    traceback,
  };
}

/**
 * Cell locals live here between cells. TypeScript emits named imports as getters
 * (defineProperty); storing the value keeps them re-assignable by later cells, as tslab does.
 */
function createExports(): Record<string, unknown> {
  const store: Record<string, unknown> = {};
  return new Proxy(store, {
    defineProperty(_t, prop, attrs) {
      if (prop === "__esModule") return true;
      store[prop as string] = attrs.get ? attrs.get() : attrs.value;
      return true;
    },
  });
}
