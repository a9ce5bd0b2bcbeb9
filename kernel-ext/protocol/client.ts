// The one Jupyter client of kernel-ext, used by the runner, grading, the benches and the tests.
// As jupyter_client's KernelManager + AsyncKernelClient: start a kernel from its kernelspec with
// a fresh connection file, talk over zeromq (shell/control/stdin DEALER, IOPub SUB, heartbeat
// REQ), answer stdin, and notice when the kernel dies (process exit, heartbeat lost).
import { ChildProcess, spawn } from "child_process";
import { randomUUID } from "crypto";
import { unlinkSync } from "fs";
import * as zmq from "zeromq";
import { newConnectionInfo, writeConnectionFile } from "./connection";
import { Outbox } from "./outbox";
import { ConnectionInfo, Message, Signer, deserialize, endpoint, newHeader, serialize } from "./wire";

/** What starting a kernel needs from a kernelspec (the runner's KernelSpec has it). */
export interface LaunchSpec {
  name: string;
  argv: string[];
  /** {resource_dir} in argv. */
  resourceDir: string;
  env?: Record<string, string>;
  /** "signal" (SIGINT, Jupyter's default) or "message" (interrupt_request on control). */
  interrupt_mode?: "signal" | "message";
}

export interface StartOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Seconds to wait for the first kernel_info_reply. */
  startTimeout?: number;
  /** Seconds without a heartbeat pong before the kernel counts as dead; 0 disables. */
  heartbeatTimeout?: number;
  /** Called with the kernel's own stderr/stdout (its logs), e.g. to forward with --verbose. */
  onKernelLog?: (text: string) => void;
}

export type Channel = "shell" | "control";

export interface ExecuteResult {
  reply: Message;
  /** IOPub messages of this request up to its idle status (status messages left out). */
  outputs: Message[];
}

export class KernelDiedError extends Error {}

const LOG_TAIL = 16000;

interface Pending {
  resolve(m: Message): void;
  reject(e: Error): void;
  promise: Promise<Message>;
}

export class KernelClient {
  readonly session = randomUUID();
  /** Resolves with a reason once the kernel is gone (process exit, heartbeat lost). */
  readonly died: Promise<string>;
  /** The last few KB of the kernel's own output, for error reports. */
  logTail = "";
  kernelInfo: Record<string, unknown> = {};
  /** Answers input_request. By default: "" with a warning (the runner sends allow_stdin: false). */
  onInput: (prompt: string, password: boolean) => string | Promise<string> = () => {
    process.emitWarning("llmlab client: the kernel asked for input but nobody answers; answering ''");
    return "";
  };

  private readonly signer: Signer;
  private readonly shell: zmq.Dealer;
  private readonly control: zmq.Dealer;
  private readonly stdin: zmq.Dealer;
  private readonly iopub: zmq.Subscriber;
  /** zeromq allows one send in flight per socket: requests sent back to back queue here, in order. */
  private readonly outboxes: Record<Channel | "stdin", Outbox>;
  /** Replies by the msg_id of their request, from when it is sent until claimed. */
  private readonly replies = new Map<string, Pending>();
  private readonly listeners = new Map<string, (msg: Message) => void>();
  /** IOPub of requests made with send(), kept for outputs() and iopubMessage(). */
  private readonly buffered = new Map<string, Message[]>();
  private iopubWaiters: (() => void)[] = [];
  private deathReason: string | undefined;
  private markDead!: (reason: string) => void;
  private closed = false;
  private hbTimer: NodeJS.Timeout | undefined;
  private hb: zmq.Request | undefined;

  private constructor(
    readonly spec: LaunchSpec,
    readonly info: ConnectionInfo,
    private readonly connectionFile: string,
    readonly child: ChildProcess,
  ) {
    this.signer = new Signer(info.key, info.signature_scheme);
    this.died = new Promise((resolve) => {
      this.markDead = (reason) => {
        if (this.deathReason !== undefined) return;
        this.deathReason = reason;
        // A reply that already arrived stays resolved; the others fail.
        for (const p of this.replies.values()) p.reject(new KernelDiedError(reason));
        for (const w of this.iopubWaiters.splice(0)) w();
        resolve(reason);
      };
    });
    // Shell and stdin share one identity so the kernel routes input_request to us.
    this.shell = new zmq.Dealer({ routingId: this.session, linger: 0 });
    this.control = new zmq.Dealer({ routingId: `${this.session}-control`, linger: 0 });
    this.stdin = new zmq.Dealer({ routingId: this.session, linger: 0 });
    this.iopub = new zmq.Subscriber({ linger: 0 });
    this.iopub.subscribe();
    this.shell.connect(endpoint(info, info.shell_port));
    this.control.connect(endpoint(info, info.control_port));
    this.stdin.connect(endpoint(info, info.stdin_port));
    this.iopub.connect(endpoint(info, info.iopub_port));
    const warn = (err: unknown) => process.emitWarning(`llmlab client: a send failed: ${String(err)}`);
    this.outboxes = {
      shell: new Outbox(this.shell, warn),
      control: new Outbox(this.control, warn),
      stdin: new Outbox(this.stdin, warn),
    };
  }

  /** Starts the kernel of `spec` on fresh loopback ports and waits until it answers. */
  static async start(spec: LaunchSpec, opts: StartOptions = {}): Promise<KernelClient> {
    const info = await newConnectionInfo(spec.name);
    const file = writeConnectionFile(info);
    const argv = spec.argv.map((a) => a.replace("{connection_file}", file).replace("{resource_dir}", spec.resourceDir));
    const child = spawn(argv[0], argv.slice(1), {
      cwd: opts.cwd,
      env: { ...(opts.env ?? process.env), ...(spec.env ?? {}) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const kc = new KernelClient(spec, info, file, child);
    const log = (b: Buffer) => {
      const text = b.toString("utf8");
      kc.logTail = (kc.logTail + text).slice(-LOG_TAIL);
      opts.onKernelLog?.(text);
    };
    child.stdout?.on("data", log);
    child.stderr?.on("data", log);
    child.on("error", (err) => kc.markDead(`could not start kernel "${spec.name}" (${argv[0]}): ${err.message}`));
    child.on("exit", (code, signal) =>
      kc.markDead(`kernel process exited (${signal ? `signal ${signal}` : `code ${code}`})`),
    );
    kc.receiveLoop(kc.shell);
    kc.receiveLoop(kc.control);
    kc.receiveLoop(kc.iopub);
    kc.stdinLoop();
    try {
      await kc.waitForReady((opts.startTimeout ?? 60) * 1000);
    } catch (err) {
      await kc.shutdown(0);
      throw err;
    }
    if ((opts.heartbeatTimeout ?? 60) > 0) kc.heartbeat((opts.heartbeatTimeout ?? 60) * 1000);
    return kc;
  }

  get dead(): string | undefined {
    return this.deathReason;
  }

  /**
   * Sends a request and returns its msg_id; its reply is `reply(msgId)`, its IOPub messages
   * `outputs(msgId)` / `iopubMessage(msgId, type)`. `signer` is for tests of bad signatures.
   */
  send(channel: Channel, msgType: string, content: Record<string, unknown>, signer = this.signer): string {
    const msgId = this.post(channel, msgType, content, signer);
    this.buffered.set(msgId, []);
    return msgId;
  }

  /**
   * Sends a request; the reply promise rejects if the kernel dies first. `onIopub` gets the
   * IOPub messages it causes (registered before sending, so none is missed) until
   * `stopListening` is called.
   */
  async request(
    channel: Channel,
    msgType: string,
    content: Record<string, unknown>,
    onIopub?: (msg: Message) => void,
  ): Promise<{ msgId: string; reply: Promise<Message>; stopListening: () => void }> {
    if (this.deathReason) throw new KernelDiedError(this.deathReason);
    const header = newHeader(msgType, this.session);
    if (onIopub) this.listeners.set(header.msg_id, onIopub);
    const msgId = this.post(channel, msgType, content, this.signer, header);
    return { msgId, reply: this.reply(msgId, 0), stopListening: () => void this.listeners.delete(msgId) };
  }

  /** The reply to `msgId`; rejects after `timeoutMs` (0: never) or when the kernel dies. */
  reply(msgId: string, timeoutMs = 30000): Promise<Message> {
    const p = this.replies.get(msgId);
    if (!p)
      return Promise.reject(
        this.deathReason
          ? new KernelDiedError(this.deathReason)
          : new Error(`no request ${msgId} is waiting for a reply (already claimed?)`),
      );
    const claimed = p.promise.finally(() => this.replies.delete(msgId));
    // Callers that ignore a reply (interrupt, shutdown) must not leave an unhandled rejection.
    claimed.catch(() => undefined);
    if (!timeoutMs) return claimed;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to ${msgId} within ${timeoutMs} ms`)), timeoutMs);
      claimed.then(resolve, reject).finally(() => clearTimeout(timer));
    });
  }

  /** IOPub messages of a request made with send(), once its idle status arrived (statuses left out). */
  async outputs(msgId: string, timeoutMs = 30000): Promise<Message[]> {
    const idle = () =>
      this.iopubOf(msgId).some((m) => m.header.msg_type === "status" && m.content.execution_state === "idle");
    if (!(await this.waitFor(idle, timeoutMs)))
      throw new Error(
        `no idle status for ${msgId} within ${timeoutMs} ms${this.deathReason ? ` (${this.deathReason})` : ""}`,
      );
    return this.iopubOf(msgId).filter((m) => m.header.msg_type !== "status");
  }

  /** Waits for an IOPub message of type `msgType` whose parent is `msgId` (sent with send()). */
  async iopubMessage(msgId: string, msgType: string, timeoutMs = 30000): Promise<Message> {
    const find = () => this.iopubOf(msgId).find((m) => m.header.msg_type === msgType);
    if (!(await this.waitFor(() => find() !== undefined, timeoutMs)))
      throw new Error(
        `no ${msgType} for ${msgId} within ${timeoutMs} ms${this.deathReason ? ` (${this.deathReason})` : ""}`,
      );
    return find() as Message;
  }

  async execute(code: string, opts: Record<string, unknown> = {}, timeoutMs = 30000): Promise<ExecuteResult> {
    const id = this.send("shell", "execute_request", {
      code,
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: true,
      stop_on_error: true,
      ...opts,
    });
    const reply = await this.reply(id, timeoutMs);
    return { reply, outputs: await this.outputs(id, timeoutMs) };
  }

  /** Interrupts the running cell the way the kernelspec asks (SIGINT by default). */
  async interrupt(): Promise<void> {
    if (this.spec.interrupt_mode === "message") {
      await this.request("control", "interrupt_request", {});
    } else {
      this.child.kill("SIGINT");
    }
  }

  /** Asks the kernel to shut down, then kills it if it has not exited within `graceMs`. */
  async shutdown(graceMs = 3000): Promise<void> {
    if (!this.deathReason && graceMs > 0) {
      try {
        // The process exiting is the answer we wait for, not the reply.
        await this.request("control", "shutdown_request", { restart: false });
        await Promise.race([this.died, sleep(graceMs)]);
      } catch {
        // already dead: nothing to ask
      }
    }
    this.kill();
    this.close();
  }

  /** SIGKILL, for a kernel that no longer answers. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
  }

  private post(
    channel: Channel,
    msgType: string,
    content: Record<string, unknown>,
    signer: Signer,
    header = newHeader(msgType, this.session),
  ): string {
    const msg: Message = { idents: [], header, parent_header: {}, metadata: {}, content, buffers: [] };
    let resolve!: (m: Message) => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<Message>((res, rej) => ((resolve = res), (reject = rej)));
    promise.catch(() => undefined);
    this.replies.set(header.msg_id, { resolve, reject, promise });
    if (this.deathReason) reject(new KernelDiedError(this.deathReason));
    else void this.outboxes[channel].send(serialize(msg, signer));
    return header.msg_id;
  }

  private iopubOf(msgId: string): Message[] {
    return this.buffered.get(msgId) ?? [];
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.hbTimer);
    for (const s of [this.shell, this.control, this.stdin, this.iopub, this.hb]) s?.close();
    try {
      unlinkSync(this.connectionFile);
    } catch {
      // the kernel may remove its own connection file
    }
  }

  /** True once `cond` holds (checked on every IOPub message), false after `timeoutMs` or death. */
  private waitFor(cond: () => boolean, timeoutMs: number): Promise<boolean> {
    if (cond()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(cond()), timeoutMs);
      const check = () => {
        if (cond() || this.deathReason) {
          clearTimeout(timer);
          resolve(cond());
        } else this.iopubWaiters.push(check);
      };
      this.iopubWaiters.push(check);
    });
  }

  /** kernel_info until it answers: the kernel may take a while to bind its sockets. */
  private async waitForReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.deathReason)
        throw new KernelDiedError(`${this.deathReason} before it answered kernel_info\n${this.logTail}`);
      const { msgId, reply } = await this.request("shell", "kernel_info_request", {});
      const got = await Promise.race([reply.catch(() => undefined), sleep(1000).then(() => undefined)]);
      if (got) {
        this.kernelInfo = got.content;
        // IOPub subscriptions take a moment; wait until one message reaches us (as nbclient's
        // wait_for_ready), but not long: a kernel may publish nothing for kernel_info.
        await this.waitForIopub(Math.min(5000, Math.max(0, deadline - Date.now())));
        return;
      }
      this.replies.delete(msgId);
    }
    throw new Error(
      `kernel "${this.spec.name}" did not answer kernel_info within ${timeoutMs / 1000} s\n${this.logTail}`,
    );
  }

  private async waitForIopub(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      let seen!: () => void;
      const published = new Promise<boolean>((resolve) => (seen = () => resolve(true)));
      const { reply, stopListening } = await this.request("shell", "kernel_info_request", {}, () => seen());
      const ok = await Promise.race([published, sleep(500).then(() => false)]);
      await Promise.race([reply.catch(() => undefined), sleep(1000)]);
      stopListening();
      if (ok) return;
    }
  }

  private receiveLoop(sock: zmq.Dealer | zmq.Subscriber): void {
    void (async () => {
      while (!this.closed) {
        let frames: Buffer[];
        try {
          frames = await sock.receive();
        } catch {
          return; // socket closed
        }
        let msg: Message;
        try {
          msg = deserialize(frames, this.signer);
        } catch (err) {
          process.emitWarning(`llmlab client: dropped a kernel message: ${(err as Error).message}`);
          continue;
        }
        const parent = (msg.parent_header as { msg_id?: string }).msg_id ?? "";
        if (sock === this.iopub) {
          this.listeners.get(parent)?.(msg);
          this.buffered.get(parent)?.push(msg);
          for (const w of this.iopubWaiters.splice(0)) w();
        } else {
          this.replies.get(parent)?.resolve(msg);
        }
      }
    })();
  }

  private stdinLoop(): void {
    void (async () => {
      while (!this.closed) {
        let frames: Buffer[];
        try {
          frames = await this.stdin.receive();
        } catch {
          return;
        }
        const req = deserialize(frames, this.signer);
        if (req.header.msg_type !== "input_request") continue;
        const { prompt, password } = req.content as { prompt: string; password: boolean };
        const value = await this.onInput(String(prompt ?? ""), Boolean(password));
        const rep: Message = {
          idents: [],
          header: newHeader("input_reply", this.session),
          parent_header: req.header,
          metadata: {},
          content: { value },
          buffers: [],
        };
        await this.outboxes.stdin.send(serialize(rep, this.signer));
      }
    })();
  }

  /** Pings the heartbeat socket every second; a kernel silent for `timeoutMs` counts as dead. */
  private heartbeat(timeoutMs: number): void {
    const hb = (this.hb = new zmq.Request({ relaxed: true, correlate: true, receiveTimeout: 1000, linger: 0 }));
    hb.connect(endpoint(this.info, this.info.hb_port));
    let lastPong = Date.now();
    let busy = false;
    this.hbTimer = setInterval(() => {
      if (busy || this.closed) return;
      busy = true;
      void (async () => {
        try {
          await hb.send("ping");
          await hb.receive();
          lastPong = Date.now();
        } catch {
          if (Date.now() - lastPong > timeoutMs)
            this.markDead(`no heartbeat for ${Math.round((Date.now() - lastPong) / 1000)} s`);
        } finally {
          busy = false;
        }
      })();
    }, 1000);
    this.hbTimer.unref();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
