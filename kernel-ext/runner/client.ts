// A Jupyter client for one kernel we start ourselves, as jupyter_client's KernelManager +
// AsyncKernelClient do: spawn from a kernelspec with a fresh connection file, talk over
// zeromq (shell/control/stdin DEALER, iopub SUB, heartbeat REQ), notice when it dies.
import { ChildProcess, spawn } from "child_process";
import { randomUUID } from "crypto";
import { unlinkSync } from "fs";
import * as zmq from "zeromq";
import { ConnectionInfo, Message, Signer, deserialize, endpoint, newHeader, serialize } from "../protocol/wire";
import { newConnectionInfo, writeConnectionFile } from "./connection";
import type { KernelSpec } from "./kernelspec";

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

export class KernelDiedError extends Error {}

type Channel = "shell" | "control";

const LOG_TAIL = 4000;

export class KernelClient {
  readonly session = randomUUID();
  /** Resolves with a reason once the kernel is gone (process exit, heartbeat lost). */
  readonly died: Promise<string>;
  /** The last few KB of the kernel's own output, for error reports. */
  logTail = "";
  kernelInfo: Record<string, unknown> = {};

  private readonly signer: Signer;
  private readonly shell: zmq.Dealer;
  private readonly control: zmq.Dealer;
  private readonly stdin: zmq.Dealer;
  private readonly iopub: zmq.Subscriber;
  private readonly pending = new Map<string, (msg: Message) => void>();
  private readonly listeners = new Map<string, (msg: Message) => void>();
  private deathReason: string | undefined;
  private markDead!: (reason: string) => void;
  private closed = false;
  private hbTimer: NodeJS.Timeout | undefined;
  private hb: zmq.Request | undefined;

  private constructor(
    readonly spec: KernelSpec,
    readonly info: ConnectionInfo,
    private readonly connectionFile: string,
    readonly child: ChildProcess,
  ) {
    this.signer = new Signer(info.key, info.signature_scheme);
    this.died = new Promise((resolve) => {
      this.markDead = (reason) => {
        if (this.deathReason !== undefined) return;
        this.deathReason = reason;
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
  }

  static async start(spec: KernelSpec, opts: StartOptions = {}): Promise<KernelClient> {
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
    const msg: Message = { idents: [], header: newHeader(msgType, this.session), parent_header: {}, metadata: {}, content, buffers: [] };
    const msgId = msg.header.msg_id;
    const stopListening = onIopub ? this.listen(msgId, onIopub) : () => false;
    const reply = new Promise<Message>((resolve, reject) => {
      this.pending.set(msgId, resolve);
      void this.died.then((reason) => {
        if (this.pending.delete(msgId)) reject(new KernelDiedError(reason));
      });
    });
    // Callers that ignore a reply (interrupt, shutdown) must not leave an unhandled rejection.
    reply.catch(() => undefined);
    await (channel === "shell" ? this.shell : this.control).send(serialize(msg, this.signer));
    return { msgId, reply, stopListening: () => void stopListening() };
  }

  /** Routes IOPub messages whose parent is `msgId` to `fn` until the returned function is called. */
  private listen(msgId: string, fn: (msg: Message) => void): () => void {
    this.listeners.set(msgId, fn);
    return () => this.listeners.delete(msgId);
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

  /** kernel_info until it answers: the kernel may take a while to bind its sockets. */
  private async waitForReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.deathReason) throw new KernelDiedError(`${this.deathReason} before it answered kernel_info\n${this.logTail}`);
      const { msgId, reply } = await this.request("shell", "kernel_info_request", {});
      const got = await Promise.race([reply.catch(() => undefined), sleep(1000).then(() => undefined)]);
      if (got) {
        this.kernelInfo = got.content;
        // IOPub subscriptions take a moment; wait until one message reaches us (as nbclient's
        // wait_for_ready), but not long: a kernel may publish nothing for kernel_info.
        await this.waitForIopub(Math.min(5000, Math.max(0, deadline - Date.now())));
        return;
      }
      this.pending.delete(msgId);
    }
    throw new Error(`kernel "${this.spec.name}" did not answer kernel_info within ${timeoutMs / 1000} s\n${this.logTail}`);
  }

  private async waitForIopub(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      let seen!: () => void;
      const published = new Promise<boolean>((resolve) => (seen = () => resolve(true)));
      const { reply, stopListening } = await this.request("shell", "kernel_info_request", {}, () => seen());
      const ok = await Promise.race([published, sleep(500).then(() => false)]);
      await reply.catch(() => undefined);
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
          process.emitWarning(`llmlab runner: dropped a kernel message: ${(err as Error).message}`);
          continue;
        }
        const parent = (msg.parent_header as { msg_id?: string }).msg_id ?? "";
        if (sock === this.iopub) {
          this.listeners.get(parent)?.(msg);
        } else {
          const resolve = this.pending.get(parent);
          this.pending.delete(parent);
          resolve?.(msg);
        }
      }
    })();
  }

  /** We run with allow_stdin: false; a kernel that asks anyway gets an empty answer, not a hang. */
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
        process.emitWarning("llmlab runner: the kernel asked for input although stdin is not allowed; answering ''");
        const rep: Message = { idents: [], header: newHeader("input_reply", this.session), parent_header: req.header, metadata: {}, content: { value: "" }, buffers: [] };
        await this.stdin.send(serialize(rep, this.signer));
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
          if (Date.now() - lastPong > timeoutMs) this.markDead(`no heartbeat for ${Math.round((Date.now() - lastPong) / 1000)} s`);
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
