// Stray errors: an unhandled promise rejection, or an exception thrown from a timer or an event
// handler, belongs to no cell's call stack. Node ends the process on either by default; a kernel
// must not (every variable of the session would go), so, as ipykernel and Deno's kernel do, the
// kernel reports them as error outputs and keeps going.
//
// The kernel owns these two process events. Modules loaded into it may add their own listeners,
// and some end the process from there: Emscripten's Node runtime (tfjs-backend-wasm's) rethrows
// from its 'unhandledRejection' listener, which aborts Node while zeromq's native callback is on
// the stack. Listeners added after ours are therefore removed as they come (their event fires only
// after the microtask that removes them has run).

export type StrayKind = "unhandled rejection" | "uncaught exception";

const EVENTS = ["unhandledRejection", "uncaughtException"] as const;

export function captureStrayErrors(
  report: (error: unknown, kind: StrayKind) => void,
  log: (line: string) => void,
): void {
  const safely = (error: unknown, kind: StrayKind) => {
    try {
      report(error, kind);
    } catch (err) {
      // Reporting must never throw from here: that would be an uncaught exception of its own.
      log(
        `could not report a stray ${kind}: ${String(err)}; it was: ${error instanceof Error ? error.stack : String(error)}`,
      );
    }
  };
  process.on("unhandledRejection", (reason) => safely(reason, "unhandled rejection"));
  process.on("uncaughtException", (err) => safely(err, "uncaught exception"));
  process.on("newListener", (event: string | symbol, listener: (...args: unknown[]) => void) => {
    if (!(EVENTS as readonly (string | symbol)[]).includes(event)) return;
    // Called before the listener is added: remove it once it is there.
    queueMicrotask(() => {
      process.removeListener(event as (typeof EVENTS)[number], listener);
      log(`removed a '${String(event)}' listener a module added: the kernel reports stray errors itself`);
    });
  });
}

/** How a stray error's first traceback line reads, as browsers and Deno print them. */
export function strayHeadline(kind: StrayKind): string {
  return kind === "unhandled rejection" ? "Uncaught (in promise)" : "Uncaught";
}
