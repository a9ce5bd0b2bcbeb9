// The first Ctrl-C asks a long command to stop cleanly between steps (the AbortSignal its
// loop watches); the handler then steps aside, so a second Ctrl-C quits at once.
export function abortOnFirstSigint(
  message: string,
  log: (s: string) => void = console.log,
): { signal: AbortSignal; release(): void } {
  const ac = new AbortController();
  const onSigint = (): void => {
    log(message);
    process.off("SIGINT", onSigint);
    ac.abort();
  };
  process.on("SIGINT", onSigint);
  return { signal: ac.signal, release: () => process.off("SIGINT", onSigint) };
}
