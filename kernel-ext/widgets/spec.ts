// The models' default states, read from @jupyter-widgets/schema's jupyterwidgetmodels.latest.json:
// the published specification of every attribute of @jupyter-widgets/base 2.0.0, controls 2.0.0
// and output 1.0.0, with its default. Frontends fill missing keys from their own defaults,
// but JupyterLab, Notebook and VS Code validate what they get, so we send complete states (as
// ipywidgets does) and take them from the spec instead of restating ~70 defaults by hand.

/** Widget protocol version (comm_open metadata) and the display mime's format version. */
export const PROTOCOL_VERSION = "2.1.0";
export const VIEW_MIME = "application/vnd.jupyter.widget-view+json";
export const STATE_MIME = "application/vnd.jupyter.widget-state+json";
export const VIEW_VERSION = { version_major: 2, version_minor: 0 } as const;

interface Attribute {
  name: string;
  type: string;
  default: unknown;
  /** For type "reference": the child model's name without "Model" (e.g. "Layout", "SliderStyle"). */
  widget?: string;
}

interface ModelSpec {
  attributes: Attribute[];
  model: { module: string; name: string; version: string };
  view: { module: string | null; name: string | null; version: string };
}

let specs: Map<string, ModelSpec> | undefined;

function load(): Map<string, ModelSpec> {
  if (!specs) {
    const all = require("@jupyter-widgets/schema/jupyterwidgetmodels.latest.json") as ModelSpec[];
    specs = new Map(all.map((s) => [s.model.name, s]));
  }
  return specs;
}

export interface DefaultState {
  state: Record<string, unknown>;
  /** Attributes whose default is "a new instance" of another model: attribute -> that model's name. */
  references: Record<string, string>;
}

/** The full default state of `modelName` (e.g. "FloatSliderModel"); child references left to the caller. */
export function defaultState(modelName: string): DefaultState {
  const spec = load().get(modelName);
  if (!spec)
    throw new Error(
      `widgets: unknown model "${modelName}" (expected a model of @jupyter-widgets/controls 2.0.0, base 2.0.0 or output 1.0.0)`,
    );
  const state: Record<string, unknown> = {};
  const references: Record<string, string> = {};
  for (const a of spec.attributes) {
    if (a.type === "reference" && a.default === "reference to new instance") {
      if (!a.widget) throw new Error(`widgets: the spec of ${modelName}.${a.name} names no widget`);
      references[a.name] = `${a.widget}Model`;
    } else {
      // The spec's JSON is shared; every state gets its own copy of array defaults.
      state[a.name] = structuredClone(a.default);
    }
  }
  return { state, references };
}

export function knownModel(modelName: string): boolean {
  return load().has(modelName);
}
