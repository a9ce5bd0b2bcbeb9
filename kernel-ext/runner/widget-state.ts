// The widget state a run leaves behind, saved in the notebook as JupyterLab's "Save widget
// state" and nbclient (store_widget_state) do: metadata.widgets["application/vnd.jupyter.widget-state+json"]
// = {version_major: 2, version_minor: 0, state: {model_id: {model_name, model_module,
// model_module_version, state, buffers?}}}, buffers base64 with their paths. Built from the
// IOPub comm messages alone, so it works for any kernel that speaks the widget protocol.
import type { Message } from "../protocol/wire";

export const WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json";
const WIDGET_TARGET = "jupyter.widget";

type Path = (string | number)[];

interface Model {
  model_name: string;
  model_module: string;
  model_module_version: string;
  state: Record<string, unknown>;
  /** path (as JSON) -> base64 data */
  buffers: Map<string, { path: Path; data: string }>;
}

export interface WidgetStateMetadata {
  version_major: 2;
  version_minor: 0;
  state: Record<string, Omit<Model, "buffers"> & { buffers?: { path: Path; data: string; encoding: "base64" }[] }>;
}

export class WidgetStateRecorder {
  private readonly models = new Map<string, Model>();

  /** Takes comm_open / comm_msg / comm_close for widget comms; ignores everything else. */
  handle(msg: Message): void {
    const type = msg.header.msg_type;
    const c = msg.content as {
      comm_id?: string;
      target_name?: string;
      data?: { state?: Record<string, unknown>; buffer_paths?: Path[]; method?: string };
    };
    if (!c.comm_id) return;
    if (type === "comm_open" && c.target_name === WIDGET_TARGET) {
      const s = c.data?.state ?? {};
      this.models.set(c.comm_id, {
        model_name: String(s._model_name ?? ""),
        model_module: String(s._model_module ?? ""),
        model_module_version: String(s._model_module_version ?? ""),
        state: {},
        buffers: new Map(),
      });
      this.apply(c.comm_id, s, c.data?.buffer_paths ?? [], msg.buffers);
    } else if (type === "comm_msg" && (c.data?.method === "update" || c.data?.method === "echo_update")) {
      this.apply(c.comm_id, c.data.state ?? {}, c.data.buffer_paths ?? [], msg.buffers);
    } else if (type === "comm_close") {
      this.models.delete(c.comm_id);
    }
  }

  get size(): number {
    return this.models.size;
  }

  /** The notebook metadata entry, or undefined when no widget was made. */
  metadata(): WidgetStateMetadata | undefined {
    if (!this.models.size) return undefined;
    const state: WidgetStateMetadata["state"] = {};
    for (const [id, m] of this.models) {
      const buffers = [...m.buffers.values()].map((b) => ({ ...b, encoding: "base64" as const }));
      state[id] = {
        model_name: m.model_name,
        model_module: m.model_module,
        model_module_version: m.model_module_version,
        state: m.state,
        ...(buffers.length ? { buffers } : {}),
      };
    }
    return { version_major: 2, version_minor: 0, state };
  }

  private apply(id: string, state: Record<string, unknown>, paths: Path[], buffers: Buffer[]): void {
    const m = this.models.get(id);
    if (!m) return;
    // An update replaces whole top-level keys: old buffers under any key it names go.
    const touched = new Set<string | number>([...Object.keys(state), ...paths.filter(Array.isArray).map((p) => p[0])]);
    for (const [key, b] of m.buffers) if (touched.has(b.path[0])) m.buffers.delete(key);
    Object.assign(m.state, state);
    paths.forEach((path, i) => {
      if (Array.isArray(path) && buffers[i])
        m.buffers.set(JSON.stringify(path), { path, data: buffers[i].toString("base64") });
    });
  }
}
