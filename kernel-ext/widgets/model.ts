// One widget model on the kernel side: its state, the comm that mirrors it in every frontend,
// and the protocol 2.1.0 messages on that comm (update both ways, echo_update, request_state,
// custom). State is kept in wire form: child widgets as "IPY_MODEL_<id>", binary values as
// typed arrays (sent as buffers).
import type { Comm } from "../kernel/comms";
import { DisplayBundle, JUPYTER_DISPLAY, MimeBundle } from "../display/types";
import { BufferPath, putBuffers, removeBuffers } from "./buffers";
import { PROTOCOL_VERSION, VIEW_MIME, VIEW_VERSION } from "./spec";

/** Where outputs go while an Output widget captures them (instead of the cell's output area). */
export interface OutputSink {
  display(bundle: DisplayBundle): void;
  stream(name: "stdout" | "stderr", text: string): void;
  clear(wait: boolean): void;
}

/** What a model needs from the manager: a comm per model, the model registry, output capture, and errors to report. */
export interface ModelHost {
  openComm(data: unknown, buffers: readonly Uint8Array[]): Comm;
  register(model: WidgetModel): void;
  unregister(model: WidgetModel): void;
  /** The model an "IPY_MODEL_<id>" reference (or a bare id) names. */
  get(id: string): WidgetModel | undefined;
  /** Sends the kernel's outputs to `sink` until the returned function is called. */
  redirectOutputs(sink: OutputSink): () => void;
  /** Where an observer's exception goes (the cell that caused the change, or stderr). */
  reportError(err: unknown): void;
}

export interface Change<T = unknown> {
  name: string;
  old: T;
  new: T;
  owner: WidgetModel;
}

export type Observer = (change: Change) => unknown;
export const IPY_MODEL = "IPY_MODEL_";

export class WidgetModel {
  readonly id: string;
  private readonly comm: Comm;
  private readonly observers: { names: Set<string> | "all"; fn: Observer }[] = [];
  private readonly customHandlers: ((content: unknown, buffers: Buffer[]) => unknown)[] = [];
  private closed = false;

  constructor(
    protected readonly host: ModelHost,
    protected readonly state: Record<string, unknown>,
  ) {
    const split = removeBuffers(state);
    this.comm = host.openComm({ state: split.state, buffer_paths: split.buffer_paths }, split.buffers);
    this.id = this.comm.id;
    this.comm.onMsg = (data, buffers) => this.receive(data, buffers);
    this.comm.onClose = () => this.dispose();
    host.register(this);
  }

  get modelName(): string {
    return String(this.state._model_name);
  }

  /** The model's state as the frontend sees it (a copy). */
  getState(): Record<string, unknown> {
    return { ...this.state };
  }

  get(key: string): unknown {
    return this.state[key];
  }

  /** Sets keys, notifies observers, and sends one update with the keys that changed. */
  set(values: Record<string, unknown>): void {
    if (this.closed) throw new Error(`widget ${this.modelName} ${this.id} is closed; create a new one`);
    const changed = this.apply(values);
    if (Object.keys(changed).length) this.sendState(changed, "update");
  }

  /** Calls `fn` when any of `names` changes (all keys when "all"); returns a function that stops it. */
  observe(fn: Observer, names: string | string[] | "all"): () => void {
    const entry = { names: names === "all" ? ("all" as const) : new Set(Array.isArray(names) ? names : [names]), fn };
    this.observers.push(entry);
    return () => {
      const at = this.observers.indexOf(entry);
      if (at >= 0) this.observers.splice(at, 1);
    };
  }

  /** Handles the frontend's custom messages (a Button's {event: "click"}). */
  onCustom(fn: (content: unknown, buffers: Buffer[]) => unknown): void {
    this.customHandlers.push(fn);
  }

  /** Sends a custom message to the frontend views. */
  send(content: unknown, buffers: readonly Uint8Array[] = []): void {
    this.comm.send({ method: "custom", content }, undefined, buffers);
  }

  close(): void {
    if (this.closed) return;
    this.comm.close();
    this.dispose();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The display_data bundle: the frontend draws this model's view; text/plain for everyone else. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return { [VIEW_MIME]: { ...VIEW_VERSION, model_id: this.id }, "text/plain": this.toString() };
  }

  toString(): string {
    const name = this.modelName.replace(/Model$/, "");
    return "value" in this.state ? `${name}(value=${JSON.stringify(this.state.value)})` : `${name}()`;
  }

  /** The full state as a message (request_state and update_states answer with it). */
  fullState(): ReturnType<typeof removeBuffers> {
    return removeBuffers(this.state);
  }

  // Subclasses derive values (a selection's value from its index) by hooking this.
  protected notify(name: string, old: unknown, value: unknown): Change[] {
    return [{ name, old, new: value, owner: this }];
  }

  private apply(values: Record<string, unknown>): Record<string, unknown> {
    const changed: Record<string, unknown> = {};
    const changes: Change[] = [];
    for (const [k, v] of Object.entries(values)) {
      if (k.startsWith("_model_") || k.startsWith("_view_"))
        throw new Error(`widget ${this.modelName}: ${k} is fixed when the widget is created`);
      const old = this.state[k];
      if (sameValue(old, v)) continue;
      this.state[k] = v;
      changed[k] = v;
      changes.push(...this.notify(k, old, v));
    }
    for (const c of changes) {
      for (const o of this.observers.slice()) {
        if (o.names !== "all" && !o.names.has(c.name)) continue;
        try {
          const r = o.fn(c);
          if (r instanceof Promise) r.catch((err: unknown) => this.host.reportError(err));
        } catch (err) {
          this.host.reportError(err);
        }
      }
    }
    return changed;
  }

  private sendState(values: Record<string, unknown>, method: "update" | "echo_update"): void {
    const split = removeBuffers(values);
    this.comm.send(
      { method, state: split.state, buffer_paths: split.buffer_paths },
      { version: PROTOCOL_VERSION },
      split.buffers,
    );
  }

  /** Handles one message from a frontend (the comm's data and binary frames). */
  async receive(data: unknown, buffers: Buffer[] = []): Promise<void> {
    const d = (data ?? {}) as {
      method?: string;
      state?: Record<string, unknown>;
      buffer_paths?: BufferPath[];
      content?: unknown;
    };
    switch (d.method) {
      case "update": {
        const state = { ...(d.state ?? {}) };
        putBuffers(state, d.buffer_paths ?? [], buffers);
        // Every frontend learns of the change (protocol 2.1.0), in the order the kernel saw it.
        this.sendState(state, "echo_update");
        // The frontend already shows these values: nothing goes back but the echo. An observer
        // that moves a key further (clamping, snapping) sends its own update through set().
        this.apply(state);
        return;
      }
      case "request_state": {
        const full = this.fullState();
        this.comm.send(
          { method: "update", state: full.state, buffer_paths: full.buffer_paths },
          { version: PROTOCOL_VERSION },
          full.buffers,
        );
        return;
      }
      case "custom": {
        for (const h of this.customHandlers) await h(d.content, buffers);
        return;
      }
      default:
        throw new Error(
          `widget ${this.id}: unknown method ${JSON.stringify(d.method)} (expected update, request_state or custom)`,
        );
    }
  }

  private dispose(): void {
    this.closed = true;
    this.host.unregister(this);
  }
}

/** Value equality for state: JSON values compare by content, buffers by bytes. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    return (
      Buffer.compare(
        Buffer.from(a.buffer, a.byteOffset, a.byteLength),
        Buffer.from(b.buffer, b.byteOffset, b.byteLength),
      ) === 0
    );
  }
  if (
    a === null ||
    b === null ||
    typeof a !== "object" ||
    typeof b !== "object" ||
    ArrayBuffer.isView(a) ||
    ArrayBuffer.isView(b)
  )
    return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}
