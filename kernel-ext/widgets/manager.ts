// The kernel's widget registry: the `jupyter.widget` comm target (models the frontend opens),
// the `jupyter.widget.control` target (all states in one message, for a page that reloads),
// and model creation with complete default states and their Layout / Style child models.
import type { Comm, CommTarget } from "../kernel/comms";
import { BufferPath, putBuffers, removeBuffers } from "./buffers";
import { IPY_MODEL, ModelHost, OutputSink, WidgetModel } from "./model";
import { PROTOCOL_VERSION, defaultState, knownModel } from "./spec";

export const WIDGET_TARGET = "jupyter.widget";
export const CONTROL_TARGET = "jupyter.widget.control";

export type { OutputSink };

/** What the manager needs from the kernel. */
export interface WidgetKernel {
  openComm(target: string, data: unknown, metadata: Record<string, unknown>, buffers: readonly Uint8Array[]): Comm;
  registerTarget(name: string, handler: CommTarget): void;
  /** Sends outputs to `sink` until the returned function is called (captures nest). */
  redirectOutputs(sink: OutputSink): () => void;
  reportError(err: unknown): void;
}

type ModelClass<M extends WidgetModel> = new (host: ModelHost, state: Record<string, unknown>) => M;

export class WidgetManager implements ModelHost {
  private readonly models = new Map<string, WidgetModel>();

  constructor(readonly kernel: WidgetKernel) {
    kernel.registerTarget(CONTROL_TARGET, (comm) => {
      comm.onMsg = (data) => this.onControl(comm, data);
    });
    kernel.registerTarget(WIDGET_TARGET, (comm, data, buffers) => this.openedByFrontend(comm, data, buffers));
  }

  /** A model of `modelName` with its spec defaults, `state` on top, and new Layout/Style children unless given. */
  create<M extends WidgetModel>(
    cls: ModelClass<M>,
    modelName: string,
    state: Record<string, unknown> = {},
    children: Record<string, Record<string, unknown>> = {},
  ): M {
    const defaults = defaultState(modelName);
    const full = defaults.state;
    for (const [attr, childModel] of Object.entries(defaults.references)) {
      if (attr in state) continue;
      full[attr] = IPY_MODEL + this.create(WidgetModel, childModel, children[attr] ?? {}).id;
    }
    for (const [k, v] of Object.entries(state)) {
      if (!(k in full)) {
        const names = Object.keys(full).filter((n) => !n.startsWith("_"));
        throw new Error(
          `widgets: ${modelName.replace(/Model$/, "")} has no option "${k}" (expected one of ${names.join(", ")})`,
        );
      }
      full[k] = v;
    }
    for (const [attr, v] of Object.entries(children)) {
      if (!(attr in defaults.references))
        throw new Error(`widgets: ${modelName.replace(/Model$/, "")} has no child model "${attr}"`);
      if (typeof v !== "object" || v === null)
        throw new Error(`widgets: ${attr} must be an object of ${defaults.references[attr]} attributes`);
    }
    return new cls(this, full);
  }

  get(id: string): WidgetModel | undefined {
    return this.models.get(id.startsWith(IPY_MODEL) ? id.slice(IPY_MODEL.length) : id);
  }

  /** Every open model's state, as the notebook's widget-state metadata and update_states hold them. */
  allStates(): Record<
    string,
    { model_name: string; model_module: string; model_module_version: string; state: Record<string, unknown> }
  > {
    const out: ReturnType<WidgetManager["allStates"]> = {};
    for (const m of this.models.values()) {
      const s = m.getState();
      out[m.id] = {
        model_name: String(s._model_name),
        model_module: String(s._model_module),
        model_module_version: String(s._model_module_version),
        state: s,
      };
    }
    return out;
  }

  // ---- ModelHost

  openComm(data: unknown, buffers: readonly Uint8Array[]): Comm {
    return this.kernel.openComm(WIDGET_TARGET, data, { version: PROTOCOL_VERSION }, buffers);
  }

  register(model: WidgetModel): void {
    this.models.set(model.id, model);
  }

  unregister(model: WidgetModel): void {
    this.models.delete(model.id);
  }

  reportError(err: unknown): void {
    this.kernel.reportError(err);
  }

  redirectOutputs(sink: OutputSink): () => void {
    return this.kernel.redirectOutputs(sink);
  }

  // ---- comms

  private onControl(comm: Comm, data: unknown): void {
    const method = (data as { method?: unknown } | null)?.method;
    if (method !== "request_states")
      throw new Error(`${CONTROL_TARGET}: unknown method ${JSON.stringify(method)} (expected request_states)`);
    const split = removeBuffers(this.allStates());
    comm.send(
      { method: "update_states", states: split.state, buffer_paths: split.buffer_paths },
      undefined,
      split.buffers,
    );
  }

  /** A frontend that creates a model (rare for core widgets) gets a kernel twin of a model we know. */
  private openedByFrontend(comm: Comm, data: unknown, buffers: Buffer[]): void {
    const d = (data ?? {}) as { state?: Record<string, unknown>; buffer_paths?: BufferPath[] };
    const state = { ...(d.state ?? {}) };
    putBuffers(state, d.buffer_paths ?? [], buffers);
    const name = String(state._model_name ?? "");
    if (!knownModel(name)) {
      comm.close({});
      throw new Error(
        `${WIDGET_TARGET}: the frontend opened a model this kernel does not know: ${JSON.stringify(name)}`,
      );
    }
    const full = { ...defaultState(name).state, ...state };
    const host: ModelHost = {
      openComm: () => comm, // already open: the frontend opened it
      register: (m) => this.register(m),
      unregister: (m) => this.unregister(m),
      get: (id) => this.get(id),
      redirectOutputs: (sink) => this.redirectOutputs(sink),
      reportError: (e) => this.reportError(e),
    };
    new WidgetModel(host, full);
  }
}
