// Redirects process.stdout / process.stderr writes (console.log and friends) to IOPub
// `stream` messages. Text is batched briefly so a loop of console.log calls becomes a
// few messages; flush() is called before any other output to keep the order.
// Writes straight to file descriptors (child processes with inherited stdio) are not seen.

export type StreamName = "stdout" | "stderr";

export class StreamCapture {
  private pending: { name: StreamName; text: string } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly originals: { stdout: typeof process.stdout.write; stderr: typeof process.stderr.write };

  constructor(
    private readonly emit: (name: StreamName, text: string) => void,
    private readonly delayMs = 50,
  ) {
    this.originals = { stdout: process.stdout.write, stderr: process.stderr.write };
  }

  /** The kernel's own log goes to the real stderr (Jupyter's server log). */
  log(line: string): void {
    this.originals.stderr.call(process.stderr, `[llmlab kernel] ${line}\n`);
  }

  install(): void {
    for (const name of ["stdout", "stderr"] as const) {
      const stream = process[name];
      stream.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
        const text =
          typeof chunk === "string"
            ? chunk
            : Buffer.from(chunk as Uint8Array).toString(
                typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8",
              );
        this.write(name, text);
        const done = typeof encoding === "function" ? encoding : cb;
        if (typeof done === "function") process.nextTick(done as () => void);
        return true;
      }) as typeof stream.write;
    }
  }

  write(name: StreamName, text: string): void {
    if (!text) return;
    if (this.pending && this.pending.name !== name) this.flush();
    if (this.pending) this.pending.text += text;
    else this.pending = { name, text };
    this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const p = this.pending;
    this.pending = undefined;
    if (p) this.emit(p.name, p.text);
  }
}
