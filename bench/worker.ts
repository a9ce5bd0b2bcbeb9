// A benchmark side kept alive in a child process and asked for blocks of steps over JSON lines,
// so that two sides (ours and PyTorch's) can take turns block by block: each block is then
// measured within seconds of the other side's, on the same state of a shared machine whose speed
// drifts by 15-20% over tens of seconds, instead of a whole process start and warm-up apart.
// Protocol: the child prints one JSON line when it is ready (after its warm-up), then for every
// line "<steps>" it reads on stdin it runs that many steps and prints one JSON line; it exits at
// the end of its stdin.
import { spawn, type ChildProcessWithoutNullStreams } from "child_process";
import * as readline from "readline";

/** What a child reports for a block of steps: wall and CPU milliseconds per step. */
export interface Block {
  msPerStep: number[];
  cpuMsPerStep: number[];
  losses?: number[];
}

export class StepWorker {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterableIterator<string>;
  private stderr = "";

  private constructor(
    readonly name: string,
    command: string,
    args: string[],
  ) {
    this.child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    this.child.stderr.on("data", (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-2000)));
    this.lines = readline.createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  /** Starts `command args` and waits for its ready line. */
  static async start<R>(name: string, command: string, args: string[]): Promise<{ worker: StepWorker; ready: R }> {
    const worker = new StepWorker(name, command, args);
    return { worker, ready: await worker.next<R>("start") };
  }

  /** Runs `steps` steps in the child. */
  run(steps: number): Promise<Block> {
    this.child.stdin.write(`${steps}\n`);
    return this.next<Block>(`${steps} steps`);
  }

  close(): void {
    this.child.stdin.end();
  }

  private async next<T>(what: string): Promise<T> {
    for (;;) {
      const line = await this.lines.next();
      if (line.done) {
        const err = this.stderr.trim().split("\n").slice(-1)[0] ?? "";
        throw new Error(`${this.name} exited during ${what}${err ? `: ${err}` : ""}`);
      }
      const text = line.value.trim();
      if (!text.startsWith("{")) continue; // anything else a library prints
      const got = JSON.parse(text) as T & { error?: string };
      if (got.error) throw new Error(`${this.name}: ${got.error}`);
      return got;
    }
  }
}
