// The kernel: sockets, message dispatch and the per-cell context. Shell requests are
// handled one at a time in arrival order; control (and heartbeat) live on a worker
// thread (control-thread.ts) so that interrupt and shutdown are served while a cell runs.
import { randomUUID } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { Worker } from "worker_threads";
import * as zmq from "zeromq";
import { display, setDisplaySink } from "../display/active";
import { registerFormatter } from "../display/format";
import { createProgress } from "../display/progress";
import { DisplayBundle, DisplayOptions, Formatter, METRICS_MIME } from "../display/types";
import { Outbox } from "../protocol/outbox";
import {
  ConnectionInfo,
  Message,
  PROTOCOL_VERSION,
  SignatureError,
  Signer,
  deserialize,
  endpoint,
  reply,
  serialize,
} from "../protocol/wire";
import { CommRegistry } from "./comms";
import type { FromMain, ToMain } from "./control-thread";
import { CellExecutor, KeyboardInterrupt } from "./executor";
import { ambientDeclarations, installGlobals } from "./globals";
import { History } from "./history";
import { requestHandlers } from "./handlers";
import { runPreloads } from "./preload";
import { StreamCapture } from "./streams";
import { StrayKind, captureStrayErrors, strayHeadline } from "./stray-errors";
import { startConverter } from "./converter-client";
import { typescriptVersion } from "./tsconverter";
import { OutputSink, WidgetManager, widgetDeclarations, widgetGlobals } from "../widgets";

export interface KernelOptions {
  connectionFile: string;
  /** Modules loaded before the first cell (see preload.ts). */
  preload?: string[];
}

/** The running cell (or the last one): where input() asks, and what an interrupt aborts. */
interface CellContext {
  parent: Message;
  allowStdin: boolean;
  abort: AbortController;
}

export class Kernel {
  readonly session = randomUUID();
  readonly signer: Signer;
  readonly history = new History();
  readonly comms: CommRegistry;
  readonly streams: StreamCapture;
  readonly widgets: WidgetManager;
  executor!: CellExecutor;
  banner = "";
  executionCount = 0;
  private readonly shell = new zmq.Router();
  private readonly iopub = new zmq.Publisher();
  private readonly stdin = new zmq.Router();
  private readonly shellOut: Outbox;
  private readonly iopubOut: Outbox;
  private readonly stdinOut: Outbox;
  private control!: Worker;
  private cell: CellContext | undefined;
  /** Outputs are children of this request (as ipykernel's set_parent): the one being handled. */
  private parent: Message | undefined;
  private readonly queue: (Message | "stop-aborting")[] = [];
  private pumping = false;
  private aborting = false;
  private pendingInput: { resolve(v: string): void; reject(e: Error): void } | undefined;
  private serial = 0;
  /** abortSignal outside any cell (e.g. read by a preload module): never aborted. */
  private readonly idle = new AbortController();
  /** Output widgets capturing outputs (Output.capture), innermost last. */
  private readonly redirects: OutputSink[] = [];

  constructor(readonly info: ConnectionInfo) {
    this.signer = new Signer(info.key, info.signature_scheme);
    const log = (err: unknown) => this.streams.log(`send failed: ${String(err)}`);
    this.shellOut = new Outbox(this.shell, log);
    this.iopubOut = new Outbox(this.iopub, log);
    this.stdinOut = new Outbox(this.stdin, log);
    this.streams = new StreamCapture((name, text) => {
      const sink = this.redirects[this.redirects.length - 1];
      if (sink) sink.stream(name, text);
      else this.publish("stream", { name, text });
    });
    this.comms = new CommRegistry((type, content, metadata, buffers) =>
      this.publish(type, content, this.parent, { metadata, buffers }),
    );
    this.widgets = new WidgetManager({
      openComm: (target, data, metadata, buffers) => this.comms.open(target, data, metadata, buffers),
      registerTarget: (name, handler) => this.comms.registerTarget(name, handler),
      redirectOutputs: (sink) => this.redirectOutputs(sink),
      reportError: (err) =>
        this.streams.write("stderr", `${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`),
    });
  }

  async start(opts: KernelOptions): Promise<void> {
    // First, so that parsing the TypeScript libraries overlaps everything below.
    const converter = startConverter();
    const ep = (port: number) => endpoint(this.info, port);
    await Promise.all([
      this.shell.bind(ep(this.info.shell_port)),
      this.iopub.bind(ep(this.info.iopub_port)),
      this.stdin.bind(ep(this.info.stdin_port)),
    ]);
    await this.startControlThread();
    this.streams.install();
    this.installGlobals();
    process.on("SIGINT", () => this.interrupt());
    this.publish("status", { execution_state: "starting" });

    const preloads = await runPreloads(opts.preload ?? []);
    this.registerBuiltinFormatters();
    const decls = [widgetDeclarations(), ...preloads.map((p) => p.declarations).filter((d): d is string => Boolean(d))];
    const diags = await converter.addModule("__llmlab_globals__", ambientDeclarations(decls));
    for (const d of diags) this.streams.log(`cell globals: ${d.messageText}`);
    this.executor = new CellExecutor(converter, { rootDir: process.cwd(), builtins: { tslab: { display } } });
    this.banner = [
      `llmlab TypeScript kernel (TypeScript ${typescriptVersion()}, Node.js ${process.version})`,
      ...preloads.map((p) => p.banner).filter((b): b is string => Boolean(b)),
    ].join("\n");

    void this.receive(this.stdin, (msg) => this.onStdin(msg));
    await this.receive(this.shell, (msg) => this.enqueue(msg));
  }

  // ---- sending

  send(socket: "shell" | "stdin", msg: Message<unknown>): Promise<void> {
    return (socket === "shell" ? this.shellOut : this.stdinOut).send(serialize(msg, this.signer));
  }

  /** IOPub message whose parent is `parent` (default: the shell request being handled, or the last one). */
  publish(
    msgType: string,
    content: Record<string, unknown>,
    parent: Message | undefined = this.parent,
    extra: { metadata?: Record<string, unknown>; buffers?: readonly Uint8Array[] } = {},
  ): void {
    if (msgType !== "stream") this.streams.flush();
    const msg = reply(parent, msgType, content, this.session, extra.metadata);
    msg.idents = [Buffer.from(`kernel.${this.session}.${msgType}`)];
    if (extra.buffers) msg.buffers = extra.buffers.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    void this.iopubOut.send(serialize(msg, this.signer));
  }

  replyTo(parent: Message, msgType: string, content: Record<string, unknown>, via: "shell" | "control"): Promise<void> {
    this.streams.flush();
    const msg = reply(parent, msgType, content, this.session);
    if (via === "shell") return this.send("shell", msg);
    this.control.postMessage({ kind: "send", frames: serialize(msg, this.signer) } satisfies FromMain);
    return Promise.resolve();
  }

  // ---- receiving

  private async receive(socket: zmq.Router, handle: (msg: Message) => void): Promise<void> {
    for await (const frames of socket) {
      const msg = this.parse(frames);
      if (msg) handle(msg);
    }
  }

  private parse(frames: Buffer[]): Message | undefined {
    try {
      return deserialize(frames, this.signer);
    } catch (err) {
      this.streams.log(
        err instanceof SignatureError
          ? "rejected a message with a bad signature"
          : `rejected a malformed message: ${String(err)}`,
      );
      return undefined;
    }
  }

  private enqueue(msg: Message | "stop-aborting"): void {
    this.queue.push(msg);
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let msg = this.queue.shift(); msg !== undefined; msg = this.queue.shift()) {
        if (msg === "stop-aborting") this.aborting = false;
        else {
          this.parent = msg;
          await this.dispatch(msg, "shell");
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  async dispatch(msg: Message, via: "shell" | "control"): Promise<void> {
    const type = msg.header.msg_type;
    const handler = requestHandlers[type];
    if (!handler) {
      this.streams.log(`${via}: ignored unknown message type ${type}`);
      return;
    }
    this.publish("status", { execution_state: "busy" }, msg);
    try {
      if (this.aborting && type === "execute_request") {
        await this.replyTo(msg, "execute_reply", { status: "aborted", execution_count: this.executionCount }, via);
      } else {
        await handler(this, msg, via);
      }
    } catch (err) {
      this.streams.log(`${type} failed: ${err instanceof Error ? err.stack : String(err)}`);
    } finally {
      this.publish("status", { execution_state: "idle" }, msg);
    }
  }

  /**
   * ipykernel's stop_on_error: abort the execute requests already queued, not later ones.
   * "Already queued" includes what zeromq holds but we have not read yet: those reads
   * settle as microtasks, before setImmediate; a later request needs a new I/O poll.
   */
  abortQueued(): void {
    this.aborting = true;
    setImmediate(() => this.enqueue("stop-aborting"));
  }

  // ---- cells

  async runCell(parent: Message, code: string, allowStdin: boolean, filename?: string) {
    this.cell = { parent, allowStdin, abort: new AbortController() };
    const name = filename ?? `<cell ${++this.serial}>`;
    const outcome = await this.executor.execute(code, name, this.cell.abort.signal);
    if (outcome.status === "error" && outcome.ename === "KeyboardInterrupt")
      this.cell.abort.abort(new KeyboardInterrupt());
    this.streams.flush();
    return outcome;
  }

  /**
   * An error no cell caught (stray-errors.ts) becomes an error output of the running cell, or of
   * the last cell that ran when none is running; the cell's own reply is not changed.
   */
  reportStrayError(error: unknown, kind: StrayKind): void {
    const outcome = this.executor
      ? this.executor.runtimeError(error)
      : {
          ename: error instanceof Error ? error.name : "Error",
          evalue: error instanceof Error ? error.message : String(error),
          traceback: String(error instanceof Error ? error.stack : error).split("\n"),
        };
    const traceback = [...outcome.traceback];
    traceback[0] = `${strayHeadline(kind)} ${traceback[0] ?? outcome.ename}`;
    this.streams.log(`${kind}: ${traceback.join("\n")}`);
    this.publish(
      "error",
      { ename: outcome.ename, evalue: outcome.evalue, traceback },
      this.cell?.parent ?? this.parent,
    );
  }

  interrupt(): void {
    this.cell?.abort.abort(new KeyboardInterrupt());
    this.pendingInput?.reject(new KeyboardInterrupt());
    this.pendingInput = undefined;
  }

  /** Sends what is queued, lets the control thread close its sockets, then exits. */
  async shutdown(): Promise<void> {
    setDisplaySink(undefined);
    const within = (p: Promise<unknown>, ms: number) => Promise.race([p, new Promise((r) => setTimeout(r, ms))]);
    await within(Promise.all([this.iopubOut.drain(), this.shellOut.drain()]), 1000);
    const exited = new Promise((r) => this.control.once("exit", r));
    this.control.postMessage({ kind: "close" } satisfies FromMain);
    await within(exited, 1000); // it stays 600 ms after closing its sockets (control-thread.ts)
    for (const s of [this.shell, this.iopub, this.stdin]) {
      s.linger = 500;
      s.close();
    }
    process.exit(0);
  }

  // ---- cell globals

  /** Sends display, clear_output and stream outputs to `sink` until the returned function is called. */
  private redirectOutputs(sink: OutputSink): () => void {
    this.streams.flush();
    this.redirects.push(sink);
    return () => {
      this.streams.flush(); // text written during the capture belongs to the sink
      const at = this.redirects.lastIndexOf(sink);
      if (at >= 0) this.redirects.splice(at, 1);
    };
  }

  private sendDisplay(bundle: DisplayBundle, opts: DisplayOptions = {}): void {
    if (opts.update && !opts.displayId)
      throw new Error("display: update: true needs a displayId (the output to replace)");
    const sink = this.redirects[this.redirects.length - 1];
    if (sink && !opts.update) return sink.display(bundle);
    const transient = opts.displayId ? { display_id: opts.displayId } : {};
    this.publish(opts.update ? "update_display_data" : "display_data", {
      data: bundle.data,
      metadata: bundle.metadata,
      transient,
    });
  }

  private installGlobals(): void {
    const send = (b: DisplayBundle, o?: DisplayOptions) => this.sendDisplay(b, o);
    setDisplaySink({
      send,
      clear: (wait) => {
        const sink = this.redirects[this.redirects.length - 1];
        if (sink) sink.clear(wait);
        else this.publish("clear_output", { wait });
      },
    });
    installGlobals({
      display,
      publish: (metrics) => {
        if (metrics === null || typeof metrics !== "object" || Array.isArray(metrics)) {
          throw new TypeError(
            `publish: metrics must be an object of name -> value, got ${Array.isArray(metrics) ? "an array" : typeof metrics}`,
          );
        }
        const json = JSON.parse(JSON.stringify(metrics)) as Record<string, unknown>;
        const line = Object.entries(json)
          .map(([k, v]) => `${k}=${typeof v === "number" ? +v.toPrecision(6) : JSON.stringify(v)}`)
          .join(" ");
        send({ data: { [METRICS_MIME]: json, "text/plain": `metrics: ${line}` }, metadata: {} });
      },
      progress: (opts) => createProgress(send, { ...opts, canUpdate: process.env.LLMLAB_DISPLAY_UPDATE !== "0" }),
      input: (prompt) => this.input(prompt ?? "", false),
      password: (prompt) => this.input(prompt ?? "", true),
      comms: {
        registerTarget: (n, h) => this.comms.registerTarget(n, h),
        open: (t, d, m, b) => this.comms.open(t, d, m, b),
      },
      abortSignal: () => (this.cell?.abort ?? this.idle).signal,
      ...widgetGlobals(this.widgets),
    });
  }

  private input(prompt: string, password: boolean): Promise<string> {
    const cell = this.cell;
    if (!cell || !cell.allowStdin) {
      return Promise.reject(
        new Error(
          `${password ? "password" : "input"}(): this front end does not accept input (the request had allow_stdin: false)`,
        ),
      );
    }
    if (this.pendingInput)
      return Promise.reject(new Error("input(): another input request is already waiting for an answer"));
    this.streams.flush();
    return new Promise<string>((resolve, reject) => {
      this.pendingInput = { resolve, reject };
      void this.send("stdin", reply(cell.parent, "input_request", { prompt, password }, this.session));
    });
  }

  private onStdin(msg: Message): void {
    if (msg.header.msg_type !== "input_reply" || !this.pendingInput) return;
    const p = this.pendingInput;
    this.pendingInput = undefined;
    p.resolve(String((msg.content as { value?: unknown }).value ?? ""));
  }

  /**
   * The built-in formatters (plotly, danfo, tensors) live in display/formatters, loaded on
   * the first value shown so that their dependencies do not slow the kernel's start.
   * Without that module, text/plain and Jupyter.display remain.
   */
  private registerBuiltinFormatters(): void {
    let builtins: Formatter[] | undefined;
    const load = (): Formatter[] => {
      try {
        return (require("../display/formatters") as { builtinFormatters?: Formatter[] }).builtinFormatters ?? [];
      } catch (err) {
        // Only the module itself may be missing; a missing dependency of it is an error.
        const missing =
          (err as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND" &&
          /display\/formatters['"]/.test((err as Error).message);
        if (!missing) throw err;
        return [];
      }
    };
    registerFormatter((value) => {
      builtins ??= load();
      for (const f of builtins) {
        const bundle = f(value);
        if (bundle) return bundle;
      }
      return undefined;
    });
  }

  private startControlThread(): Promise<void> {
    this.control = new Worker(path.join(__dirname, "control-thread.js"), {
      workerData: { info: this.info, session: this.session },
    });
    return new Promise((resolve, reject) => {
      this.control.on("error", reject);
      this.control.on("message", (m: ToMain) => {
        if (m.kind === "ready") resolve();
        else if (m.kind === "log") this.streams.log(m.line);
        else {
          const msg = this.parse(m.frames.map((f) => Buffer.from(f)));
          if (msg) void this.dispatch(msg, "control");
        }
      });
    });
  }
}

export function readConnectionFile(file: string): ConnectionInfo {
  let info: ConnectionInfo;
  try {
    info = JSON.parse(fs.readFileSync(file, "utf8")) as ConnectionInfo;
  } catch (err) {
    throw new Error(`connection file ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  for (const k of ["ip", "transport", "shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"] as const) {
    if (info[k] === undefined) throw new Error(`connection file ${file}: missing "${k}"`);
  }
  info.key ??= "";
  info.signature_scheme ??= "hmac-sha256";
  return info;
}

export async function startKernel(opts: KernelOptions): Promise<Kernel> {
  const kernel = new Kernel(readConnectionFile(opts.connectionFile));
  captureStrayErrors(
    (error, kind) => kernel.reportStrayError(error, kind),
    (line) => kernel.streams.log(line),
  );
  void kernel.start(opts).catch((err: unknown) => {
    kernel.streams.log(`failed to start: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  });
  return kernel;
}

export { PROTOCOL_VERSION };
