// A minimal comm registry (Jupyter's comm_open / comm_msg / comm_close), usable from
// cells as the global `comms`: register a target the front end opens, or open one.
import { randomUUID } from "crypto";

export interface Comm {
  readonly id: string;
  readonly target: string;
  /** `buffers` travel as the message's binary frames (the widget protocol's buffer_paths name them). */
  send(data: unknown, metadata?: Record<string, unknown>, buffers?: readonly Uint8Array[]): void;
  close(data?: unknown): void;
  /** Called for each comm_msg from the front end; a promise holds the shell queue until it settles. */
  onMsg?: (data: unknown, buffers: Buffer[]) => void | Promise<void>;
  /** Called when the front end closes the comm. */
  onClose?: (data: unknown) => void;
}

export type CommTarget = (comm: Comm, data: unknown, buffers: Buffer[]) => void;

/** How the registry talks to the front end (IOPub). */
export type CommSend = (
  msgType: "comm_open" | "comm_msg" | "comm_close",
  content: Record<string, unknown>,
  metadata?: Record<string, unknown>,
  buffers?: readonly Uint8Array[],
) => void;

export class CommRegistry {
  private readonly targets = new Map<string, CommTarget>();
  private readonly comms = new Map<string, Comm>();

  constructor(private readonly send: CommSend) {}

  registerTarget(name: string, handler: CommTarget): void {
    this.targets.set(name, handler);
  }

  /** Opens a comm from the kernel side; `metadata` is the message's (the widget protocol puts its version there). */
  open(target: string, data: unknown = {}, metadata?: Record<string, unknown>, buffers?: readonly Uint8Array[]): Comm {
    const comm = this.make(randomUUID(), target);
    this.send("comm_open", { comm_id: comm.id, target_name: target, data }, metadata, buffers);
    return comm;
  }

  info(targetName?: string): Record<string, { target_name: string }> {
    const out: Record<string, { target_name: string }> = {};
    for (const c of this.comms.values())
      if (!targetName || c.target === targetName) out[c.id] = { target_name: c.target };
    return out;
  }

  /** comm_open from the front end; an unknown target is refused with a comm_close. */
  handleOpen(
    content: { comm_id?: string; target_name?: string; data?: unknown },
    buffers: Buffer[] = [],
  ): string | undefined {
    const { comm_id: id, target_name: target } = content;
    if (!id || !target) return "comm_open: expected comm_id and target_name";
    const handler = this.targets.get(target);
    if (!handler) {
      this.send("comm_close", { comm_id: id, data: {} });
      return `comm_open: no target named "${target}" is registered`;
    }
    handler(this.make(id, target), content.data ?? {}, buffers);
    return undefined;
  }

  async handleMsg(content: { comm_id?: string; data?: unknown }, buffers: Buffer[] = []): Promise<string | undefined> {
    const comm = content.comm_id ? this.comms.get(content.comm_id) : undefined;
    if (!comm) return `comm_msg: unknown comm_id ${JSON.stringify(content.comm_id)}`;
    await comm.onMsg?.(content.data ?? {}, buffers);
    return undefined;
  }

  handleClose(content: { comm_id?: string; data?: unknown }): string | undefined {
    const comm = content.comm_id ? this.comms.get(content.comm_id) : undefined;
    if (!comm) return `comm_close: unknown comm_id ${JSON.stringify(content.comm_id)}`;
    this.comms.delete(comm.id);
    comm.onClose?.(content.data ?? {});
    return undefined;
  }

  private make(id: string, target: string): Comm {
    const comm: Comm = {
      id,
      target,
      send: (data, metadata, buffers) => this.send("comm_msg", { comm_id: id, data }, metadata, buffers),
      close: (data = {}) => {
        if (!this.comms.delete(id)) return;
        this.send("comm_close", { comm_id: id, data });
      },
    };
    this.comms.set(id, comm);
    return comm;
  }
}
