// A small Jupyter client over zeromq: launches a kernel from its argv, sends requests on
// shell / control, collects IOPub by parent and answers stdin. Used by the tests and the bench.
import { ChildProcess, spawn } from "child_process";
import { randomBytes, randomUUID } from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import * as zmq from "zeromq";
import { Outbox } from "./outbox";
import { ConnectionInfo, Message, Signer, deserialize, endpoint, newHeader, serialize } from "./wire";

export type Channel = "shell" | "control" | "stdin";

export interface ExecuteResult {
  reply: Message;
  /** IOPub messages of this request between busy and idle (status messages left out). */
  outputs: Message[];
}

export class KernelClient {
  readonly session = randomUUID();
  readonly signer: Signer;
  private readonly sockets: Record<Channel, zmq.Dealer>;
  private readonly outboxes: Record<Channel, Outbox>;
  private readonly iopub = new zmq.Subscriber();
  private readonly replies = new Map<string, (m: Message) => void>();
  /** Replies that arrived before anyone asked for them. */
  private readonly unclaimed = new Map<string, Message>();
  private readonly iopubByParent = new Map<string, Message[]>();
  private readonly iopubWaiters: (() => void)[] = [];
  /** Answers input_request; by default refuses. */
  onInput: (prompt: string, password: boolean) => string = () => "";

  constructor(readonly info: ConnectionInfo) {
    this.signer = new Signer(info.key, info.signature_scheme);
    const identity = `client-${this.session}`;
    this.sockets = { shell: new zmq.Dealer({ routingId: identity }), control: new zmq.Dealer(), stdin: new zmq.Dealer({ routingId: identity }) };
    this.outboxes = { shell: new Outbox(this.sockets.shell), control: new Outbox(this.sockets.control), stdin: new Outbox(this.sockets.stdin) };
  }

  async connect(timeoutMs = 30000): Promise<void> {
    const port = { shell: this.info.shell_port, control: this.info.control_port, stdin: this.info.stdin_port };
    for (const ch of Object.keys(this.sockets) as Channel[]) {
      this.sockets[ch].connect(endpoint(this.info, port[ch]));
      void this.receive(ch);
    }
    this.iopub.connect(endpoint(this.info, this.info.iopub_port));
    this.iopub.subscribe();
    void this.receiveIopub();
    // Ready when a kernel_info request's status reaches us on IOPub (the subscription is live).
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const id = this.send("shell", "kernel_info_request", {});
      const seen = await Promise.race([this.reply(id, timeoutMs).then(() => this.waitFor(() => (this.iopubByParent.get(id)?.length ?? 0) > 0, 1000)), sleep(timeoutMs)]);
      if (seen) return;
      if (Date.now() > deadline) throw new Error(`kernel did not answer kernel_info within ${timeoutMs} ms`);
    }
  }

  send(channel: Channel, msgType: string, content: Record<string, unknown>, signer = this.signer): string {
    const msg: Message<unknown> = { idents: [], header: newHeader(msgType, this.session), parent_header: {}, metadata: {}, content, buffers: [] };
    void this.outboxes[channel].send(serialize(msg, signer));
    return msg.header.msg_id;
  }

  reply(msgId: string, timeoutMs = 30000): Promise<Message> {
    const early = this.unclaimed.get(msgId);
    if (early) {
      this.unclaimed.delete(msgId);
      return Promise.resolve(early);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.replies.delete(msgId);
        reject(new Error(`no reply to ${msgId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.replies.set(msgId, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
    });
  }

  /** IOPub messages of a request once its idle status arrived. */
  async outputs(msgId: string, timeoutMs = 30000): Promise<Message[]> {
    const idle = () => (this.iopubByParent.get(msgId) ?? []).some((m) => m.header.msg_type === "status" && m.content.execution_state === "idle");
    if (!(await this.waitFor(idle, timeoutMs))) throw new Error(`no idle status for ${msgId} within ${timeoutMs} ms`);
    return (this.iopubByParent.get(msgId) ?? []).filter((m) => m.header.msg_type !== "status");
  }

  /** Waits for an IOPub message of type `msgType` whose parent is `msgId`. */
  async iopubMessage(msgId: string, msgType: string, timeoutMs = 30000): Promise<Message> {
    const find = () => (this.iopubByParent.get(msgId) ?? []).find((m) => m.header.msg_type === msgType);
    if (!(await this.waitFor(() => find() !== undefined, timeoutMs))) throw new Error(`no ${msgType} for ${msgId} within ${timeoutMs} ms`);
    return find() as Message;
  }

  async execute(code: string, opts: Record<string, unknown> = {}, timeoutMs = 30000): Promise<ExecuteResult> {
    const id = this.send("shell", "execute_request", { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: true, stop_on_error: true, ...opts });
    const reply = await this.reply(id, timeoutMs);
    return { reply, outputs: await this.outputs(id, timeoutMs) };
  }

  /** Drops unsent messages (linger 0): a dead kernel must not keep this process waiting at exit. */
  close(): void {
    for (const s of [...Object.values(this.sockets), this.iopub]) {
      s.linger = 0;
      s.close();
    }
  }

  private waitFor(cond: () => boolean, timeoutMs: number): Promise<boolean> {
    if (cond()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(cond()), timeoutMs);
      const check = () => {
        if (!cond()) return void this.iopubWaiters.push(check);
        clearTimeout(timer);
        resolve(true);
      };
      this.iopubWaiters.push(check);
    });
  }

  private async receive(ch: Channel): Promise<void> {
    try {
      for await (const frames of this.sockets[ch]) {
        const msg = deserialize(frames, this.signer);
        if (ch === "stdin" && msg.header.msg_type === "input_request") {
          const { prompt, password } = msg.content as { prompt: string; password: boolean };
          const answer: Message<unknown> = { idents: [], header: newHeader("input_reply", this.session), parent_header: msg.header, metadata: {}, content: { value: this.onInput(prompt, password) }, buffers: [] };
          void this.outboxes.stdin.send(serialize(answer, this.signer));
          continue;
        }
        const parent = (msg.parent_header as { msg_id?: string }).msg_id;
        const waiter = parent ? this.replies.get(parent) : undefined;
        if (parent && waiter) {
          this.replies.delete(parent);
          waiter(msg);
        } else if (parent) this.unclaimed.set(parent, msg);
      }
    } catch {
      // socket closed
    }
  }

  private async receiveIopub(): Promise<void> {
    try {
      for await (const frames of this.iopub) {
        const msg = deserialize(frames, this.signer);
        const parent = (msg.parent_header as { msg_id?: string }).msg_id ?? "";
        const list = this.iopubByParent.get(parent) ?? [];
        list.push(msg);
        this.iopubByParent.set(parent, list);
        for (const w of this.iopubWaiters.splice(0)) w();
      }
    } catch {
      // socket closed
    }
  }
}

function sleep(ms: number): Promise<false> {
  return new Promise((r) => setTimeout(() => r(false), ms).unref());
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export interface LaunchedKernel {
  client: KernelClient;
  process: ChildProcess;
  /** The kernel's own log (its real stderr). */
  log(): string;
  stop(): Promise<void>;
}

/** Starts `argv` (with "{connection_file}" replaced) on fresh loopback ports and connects. */
export async function launchKernel(argv: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<LaunchedKernel> {
  const [shell_port, iopub_port, stdin_port, control_port, hb_port] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const info: ConnectionInfo = { transport: "tcp", ip: "127.0.0.1", key: randomBytes(16).toString("hex"), signature_scheme: "hmac-sha256", shell_port, iopub_port, stdin_port, control_port, hb_port };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "llmlab-kernel-")), "connection.json");
  fs.writeFileSync(file, JSON.stringify(info));
  const args = argv.map((a) => a.replace("{connection_file}", file));
  const proc = spawn(args[0], args.slice(1), { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  proc.stderr?.on("data", (d: Buffer) => (log += d.toString()));
  proc.stdout?.on("data", (d: Buffer) => (log += d.toString()));
  const client = new KernelClient(info);
  await client.connect();
  return {
    client,
    process: proc,
    log: () => log,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once("exit", r));
        client.send("control", "shutdown_request", { restart: false });
        await Promise.race([exited, sleep(5000)]);
        if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
      }
      client.close();
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    },
  };
}
