// The cells' typed widget API: `widgets.floatSlider({...})` and friends, and `interact(fn, {...})`.
// Option names are the models' own attribute names (min, max, readout_format, ...), as
// ipywidgets and the @jupyter-widgets specification name them.
import { display } from "../display/active";
import { JUPYTER_DISPLAY } from "../display/types";
import type { WidgetManager } from "./manager";
import {
  BoxWidget,
  ButtonWidget,
  OptionSpec,
  OutputWidget,
  SelectionWidget,
  ValueWidget,
  normaliseOptions,
} from "./controls";
import { IPY_MODEL, WidgetModel } from "./model";
import { HeatmapPngOptions, heatmapPng } from "./png";

/** Layout attributes (CSS), e.g. { width: "320px" }. */
export type LayoutOptions = Partial<
  Record<
    | "width"
    | "height"
    | "min_width"
    | "max_width"
    | "margin"
    | "padding"
    | "border_top"
    | "display"
    | "flex"
    | "flex_flow"
    | "align_items"
    | "justify_content"
    | "overflow"
    | "visibility",
    string
  >
>;

interface Common {
  description?: string;
  disabled?: boolean;
  tooltip?: string | null;
  layout?: LayoutOptions;
  /** The style model's attributes, e.g. { description_width: "initial" }. */
  style?: Record<string, unknown>;
}

export interface SliderOptions extends Common {
  value?: number;
  min?: number;
  max?: number;
  step?: number;
  orientation?: "horizontal" | "vertical";
  readout?: boolean;
  readout_format?: string;
  continuous_update?: boolean;
  behavior?: "drag-tap" | "drag-snap" | "tap" | "drag" | "snap";
}

export interface SelectionOptions<V> extends Common {
  options: readonly OptionSpec<V>[];
  value?: V;
}

export interface ToggleButtonsOptions<V> extends SelectionOptions<V> {
  button_style?: "" | "primary" | "success" | "info" | "warning" | "danger";
  tooltips?: string[];
  icons?: string[];
}

export interface TextOptions extends Common {
  value?: string;
  placeholder?: string;
  continuous_update?: boolean;
}

export interface PlayOptions extends Common {
  value?: number;
  min?: number;
  max?: number;
  step?: number;
  /** Milliseconds between steps. */
  interval?: number;
  repeat?: boolean;
  show_repeat?: boolean;
}

export interface ButtonOptions extends Omit<Common, "description"> {
  description?: string;
  button_style?: "" | "primary" | "success" | "info" | "warning" | "danger";
  icon?: string;
}

export interface ImageOptions extends Omit<Common, "description" | "disabled"> {
  value: Uint8Array;
  format?: string;
  width?: string;
  height?: string;
}

export interface WidgetsApi {
  intSlider(o?: SliderOptions): ValueWidget<number>;
  floatSlider(o?: SliderOptions): ValueWidget<number>;
  dropdown<V = string>(o: SelectionOptions<V>): SelectionWidget<V>;
  toggleButtons<V = string>(o: ToggleButtonsOptions<V>): SelectionWidget<V>;
  checkbox(o?: Common & { value?: boolean; indent?: boolean }): ValueWidget<boolean>;
  text(o?: TextOptions): ValueWidget<string>;
  textarea(o?: TextOptions & { rows?: number | null }): ValueWidget<string>;
  button(o?: ButtonOptions): ButtonWidget;
  play(o?: PlayOptions): ValueWidget<number>;
  output(o?: { layout?: LayoutOptions }): OutputWidget;
  hbox(children: WidgetModel[], o?: { layout?: LayoutOptions }): BoxWidget;
  vbox(children: WidgetModel[], o?: { layout?: LayoutOptions }): BoxWidget;
  label(o?: Common & { value?: string }): ValueWidget<string>;
  html(o?: Common & { value?: string; placeholder?: string }): ValueWidget<string>;
  /** Image bytes (PNG, JPEG, ...) sent as a binary buffer. */
  image(o: ImageOptions): ValueWidget<Uint8Array>;
  /** A matrix as a PNG heatmap in an Image widget; `.show(z)` redraws it. */
  heatmap(z: readonly (readonly number[])[], o?: HeatmapPngOptions & { layout?: LayoutOptions }): HeatmapWidget;
}

export interface HeatmapWidget extends ValueWidget<Uint8Array> {
  show(z: readonly (readonly number[])[]): void;
}

const isInt = (x: unknown) => typeof x === "number" && Number.isInteger(x);

function splitCommon<T extends Common>(
  o: T,
): { state: Record<string, unknown>; children: Record<string, Record<string, unknown>> } {
  const { layout, style, ...state } = o;
  const children: Record<string, Record<string, unknown>> = {};
  if (layout) children.layout = layout;
  if (style) children.style = style;
  return { state: state as Record<string, unknown>, children };
}

function checkSlider(what: string, o: SliderOptions | PlayOptions, integer: boolean): void {
  for (const k of ["value", "min", "max", "step"] as const) {
    const v = o[k];
    if (v === undefined) continue;
    if (typeof v !== "number" || !Number.isFinite(v))
      throw new Error(`${what}: ${k} must be a finite number, got ${JSON.stringify(v)}`);
    if (integer && !Number.isInteger(v)) throw new Error(`${what}: ${k} must be an integer, got ${v}`);
  }
  const min = o.min ?? 0;
  const max = o.max ?? 100;
  if (min > max) throw new Error(`${what}: min ${min} is above max ${max}`);
  if (o.step !== undefined && o.step <= 0) throw new Error(`${what}: step must be positive, got ${o.step}`);
  if (o.value !== undefined && (o.value < min || o.value > max))
    throw new Error(`${what}: value ${o.value} is outside [${min}, ${max}]`);
}

export function createWidgetsApi(manager: WidgetManager): WidgetsApi {
  const value = <V>(model: string, what: string, o: Common & Record<string, unknown>): ValueWidget<V> => {
    const { state, children } = splitCommon(o);
    try {
      return manager.create(ValueWidget, model, state, children) as ValueWidget<V>;
    } catch (err) {
      throw new Error(`widgets.${what}: ${(err as Error).message.replace(/^widgets: /, "")}`);
    }
  };
  const selection = <V>(model: string, what: string, o: SelectionOptions<V>): SelectionWidget<V> => {
    if (!o || typeof o !== "object") throw new Error(`widgets.${what}: expected {options: [...]}`);
    const options = normaliseOptions<V>(`widgets.${what}`, o.options);
    const { options: _, value: v, ...rest } = o;
    const index = v === undefined ? 0 : options.findIndex(([, x]) => x === v);
    if (index < 0)
      throw new Error(
        `widgets.${what}: value ${JSON.stringify(v)} is not one of the options (${options.map(([l]) => l).join(", ")})`,
      );
    const { state, children } = splitCommon(rest);
    const w = manager.create(
      SelectionWidget,
      model,
      { ...state, _options_labels: options.map(([l]) => l), index },
      children,
    ) as SelectionWidget<V>;
    w.options = options;
    return w;
  };
  const box = (model: string, kids: WidgetModel[], o: { layout?: LayoutOptions } = {}): BoxWidget => {
    if (!Array.isArray(kids) || kids.some((k) => !(k instanceof WidgetModel)))
      throw new Error(`widgets.${model === "HBoxModel" ? "hbox" : "vbox"}: children must be an array of widgets`);
    return manager.create(
      BoxWidget,
      model,
      { children: kids.map((k) => IPY_MODEL + k.id) },
      o.layout ? { layout: o.layout } : {},
    );
  };
  return {
    intSlider: (o = {}) => (checkSlider("widgets.intSlider", o, true), value("IntSliderModel", "intSlider", { ...o })),
    floatSlider: (o = {}) => (
      checkSlider("widgets.floatSlider", o, false),
      value("FloatSliderModel", "floatSlider", { ...o })
    ),
    dropdown: (o) => selection("DropdownModel", "dropdown", o),
    toggleButtons: (o) => selection("ToggleButtonsModel", "toggleButtons", o),
    checkbox: (o = {}) => value("CheckboxModel", "checkbox", { ...o }),
    text: (o = {}) => value("TextModel", "text", { ...o }),
    textarea: (o = {}) => value("TextareaModel", "textarea", { ...o }),
    button: (o = {}) => {
      const { state, children } = splitCommon(o);
      return manager.create(ButtonWidget, "ButtonModel", state, children);
    },
    play: (o = {}) => (checkSlider("widgets.play", o, true), value("PlayModel", "play", { ...o })),
    output: (o = {}) => manager.create(OutputWidget, "OutputModel", {}, o.layout ? { layout: o.layout } : {}),
    hbox: (kids, o) => box("HBoxModel", kids, o),
    vbox: (kids, o) => box("VBoxModel", kids, o),
    label: (o = {}) => value("LabelModel", "label", { ...o }),
    html: (o = {}) => value("HTMLModel", "html", { ...o }),
    image: (o) => {
      if (!(o?.value instanceof Uint8Array))
        throw new Error("widgets.image: value must be the image's bytes (a Uint8Array)");
      return value("ImageModel", "image", { ...o });
    },
    heatmap: (z, o = {}) => {
      const { layout, ...png } = o;
      const w = value<Uint8Array>("ImageModel", "heatmap", {
        value: heatmapPng(z, png),
        format: "png",
        ...(layout ? { layout } : {}),
      }) as HeatmapWidget;
      w.show = (next) => (w.value = heatmapPng(next, png));
      return w;
    },
  };
}

// ---- interact

/** What interact turns into a control: [min, max] or [min, max, step] (a slider), labels (a dropdown), a boolean (a checkbox), a string (a text box), or a widget. */
export type Abbreviation =
  readonly number[] | readonly string[] | boolean | string | ValueWidget<unknown> | SelectionWidget<unknown>;

export type ValueOf<A> =
  A extends ValueWidget<infer V>
    ? V
    : A extends SelectionWidget<infer V>
      ? V | null
      : A extends readonly number[]
        ? number
        : A extends readonly string[]
          ? string
          : A extends boolean
            ? boolean
            : A extends string
              ? string
              : never;

export type InteractValues<S> = { [K in keyof S]: ValueOf<S[K]> };

export interface Interactive<S> {
  controls: { [K in keyof S]: ValueWidget<ValueOf<S[K]>> | SelectionWidget<ValueOf<S[K]>> };
  output: OutputWidget;
  /** The controls above the output, the widget interact displays. */
  box: BoxWidget;
  values(): InteractValues<S>;
  /** Settles when the first call of fn (or the run in progress) has finished: await it for an async fn. */
  ready: Promise<void>;
  /** Calls fn again with the controls' current values. */
  update(): Promise<void>;
}

/**
 * ipywidgets' rule for a slider from (min, max[, step]) (interaction.py, _get_min_max_value):
 * all integers give an IntSlider, else a FloatSlider (default step 1 or 0.1); the value starts
 * at the middle (integer division for integers), moved down onto a step when a step is given.
 * We round that to the step's decimals, so 0.30000000000000004 reads 0.3.
 */
export function sliderFromTuple(
  name: string,
  t: readonly number[],
): { model: "IntSliderModel" | "FloatSliderModel"; state: SliderOptions } {
  if (t.length < 2 || t.length > 3 || t.some((x) => typeof x !== "number" || !Number.isFinite(x))) {
    throw new Error(
      `interact: ${name} must be [min, max] or [min, max, step] (finite numbers), got ${JSON.stringify(t)}`,
    );
  }
  const [min, max] = t;
  if (min > max) throw new Error(`interact: ${name}: min ${min} is above max ${max}`);
  const integer = t.every(isInt);
  if (t[2] !== undefined && t[2] <= 0) throw new Error(`interact: ${name}: step must be positive, got ${t[2]}`);
  let value = integer ? min + Math.floor((max - min) / 2) : min + (max - min) / 2;
  if (t[2] !== undefined) {
    const decimals = Math.max(0, ...[min, t[2]].map((x) => (String(x).split(".")[1] ?? "").length));
    value = +(min + Math.trunc((value - min) / t[2]) * t[2]).toFixed(decimals);
  }
  const step = t[2] ?? (integer ? 1 : 0.1);
  return { model: integer ? "IntSliderModel" : "FloatSliderModel", state: { min, max, step, value } };
}

export function createInteract(manager: WidgetManager, api: WidgetsApi) {
  return function interact<S extends Record<string, Abbreviation>>(
    fn: (values: InteractValues<S>) => unknown,
    spec: S,
  ): Interactive<S> {
    if (typeof fn !== "function") throw new Error("interact: the first argument must be the function to call");
    if (!spec || typeof spec !== "object")
      throw new Error("interact: the second argument must be an object of name -> control");
    const controls = {} as Record<string, ValueWidget<unknown> | SelectionWidget<unknown>>;
    for (const [name, a] of Object.entries(spec)) {
      if (a instanceof ValueWidget || a instanceof SelectionWidget) controls[name] = a;
      else if (Array.isArray(a) && a.every((x) => typeof x === "number")) {
        const { model, state } = sliderFromTuple(name, a as number[]);
        controls[name] = (model === "IntSliderModel" ? api.intSlider : api.floatSlider)({
          ...state,
          description: name,
        });
      } else if (Array.isArray(a) && a.length > 0 && a.every((x) => typeof x === "string"))
        controls[name] = api.dropdown({ options: a as string[], description: name });
      else if (typeof a === "boolean") controls[name] = api.checkbox({ value: a, description: name });
      else if (typeof a === "string") controls[name] = api.text({ value: a, description: name });
      else
        throw new Error(
          `interact: ${name}: cannot make a control of ${JSON.stringify(a)} (expected [min, max], [min, max, step], an array of labels, a boolean, a string or a widget)`,
        );
    }
    const output = api.output();
    const values = () =>
      Object.fromEntries(Object.entries(controls).map(([k, c]) => [k, c.value])) as InteractValues<S>;
    // One call at a time; changes that arrive meanwhile coalesce into one more call. A
    // synchronous fn runs synchronously, so its output is in place when interact() returns.
    const runOnce = (): void | Promise<void> => {
      output.clear(true);
      const finish = (result: unknown) => {
        if (result !== undefined) output.display(result);
        output.flushClear();
      };
      const fail = (err: unknown) => {
        output.flushClear();
        output.append({
          output_type: "stream",
          name: "stderr",
          text: `${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
        });
        manager.reportError(err);
      };
      let r: unknown;
      try {
        r = output.capture(() => fn(values()));
      } catch (err) {
        return fail(err);
      }
      if (r instanceof Promise) return r.then(finish, fail);
      finish(r);
    };
    let running: Promise<void> | undefined;
    let again = false;
    const update = (): Promise<void> => {
      if (running) {
        again = true;
        return running;
      }
      const first = runOnce();
      if (!(first instanceof Promise)) return Promise.resolve();
      running = (async () => {
        await first;
        while (again) {
          again = false;
          await runOnce();
        }
      })().finally(() => (running = undefined));
      return running;
    };
    for (const c of Object.values(controls)) c.observe(() => void update(), "value");
    const box = api.vbox([...Object.values(controls), output]);
    display(box);
    const ready = update();
    const names = Object.keys(controls).join(", ");
    // Shown already; as a cell's last value it is one line, not the widget a second time.
    return {
      controls: controls as Interactive<S>["controls"],
      output,
      box,
      values,
      ready,
      update,
      [JUPYTER_DISPLAY]: () => ({ "text/plain": `interact(${names})` }),
    } as Interactive<S>;
  };
}
