// Typed views of the models a course needs: a value with observe(), a selection (whose value
// the kernel derives from the frontend's index), a button's clicks, an Output that captures.
import type { DisplayBundle } from "../display/types";
import { formatValue } from "../display/format";
import { Change, IPY_MODEL, OutputSink, WidgetModel } from "./model";

export type { Change };

/** A widget whose state has a `value` of type V (sliders, checkbox, text, label, html, play, image). */
export class ValueWidget<V> extends WidgetModel {
  get value(): V {
    return this.get("value") as V;
  }

  set value(v: V) {
    this.set({ value: v });
  }

  /** Calls `fn` with {name, old, new, owner} when `names` (default "value") change; returns an unobserve function. */
  override observe(fn: (change: Change<V>) => unknown, names: string | string[] | "all" = "value"): () => void {
    return super.observe(fn as (c: Change) => unknown, names);
  }
}

/** One option: a label shown, or [label, value]. */
export type OptionSpec<V> = string | readonly [string, V];

/** Dropdown and ToggleButtons: the frontend sees labels and an index; value is looked up here. */
export class SelectionWidget<V> extends WidgetModel {
  options: readonly [string, V][] = [];

  get value(): V | null {
    const i = this.get("index");
    return typeof i === "number" && this.options[i] ? this.options[i][1] : null;
  }

  set value(v: V | null) {
    const i = this.options.findIndex(([, o]) => o === v);
    if (v !== null && i < 0)
      throw new Error(
        `${this.modelName.replace(/Model$/, "")}: ${JSON.stringify(v)} is not one of the options (${this.options.map(([l]) => l).join(", ")})`,
      );
    this.set({ index: v === null ? null : i });
  }

  get label(): string | null {
    const i = this.get("index");
    return typeof i === "number" && this.options[i] ? this.options[i][0] : null;
  }

  override observe(fn: (change: Change<V | null>) => unknown, names: string | string[] | "all" = "value"): () => void {
    return super.observe(fn as (c: Change) => unknown, names);
  }

  // An index change is also a change of value and label, which is what cells observe.
  protected override notify(name: string, old: unknown, value: unknown): Change[] {
    const changes = super.notify(name, old, value);
    if (name !== "index") return changes;
    const at = (i: unknown) => (typeof i === "number" && this.options[i] ? this.options[i] : undefined);
    changes.push({ name: "value", old: at(old)?.[1] ?? null, new: at(value)?.[1] ?? null, owner: this });
    changes.push({ name: "label", old: at(old)?.[0] ?? null, new: at(value)?.[0] ?? null, owner: this });
    return changes;
  }
}

export function normaliseOptions<V>(what: string, options: readonly OptionSpec<V>[]): [string, V][] {
  if (!Array.isArray(options) || options.length === 0)
    throw new Error(`${what}: options must be a non-empty array of labels or [label, value] pairs`);
  return options.map((o, i) => {
    if (typeof o === "string") return [o, o as unknown as V];
    if (Array.isArray(o) && o.length === 2 && typeof o[0] === "string") return [o[0], o[1]] as [string, V];
    throw new Error(`${what}: options[${i}] must be a label or a [label, value] pair, got ${JSON.stringify(o)}`);
  });
}

export class ButtonWidget extends WidgetModel {
  /** Calls `fn` on every click in a frontend. */
  onClick(fn: (button: ButtonWidget) => unknown): void {
    this.onCustom((content) => {
      if ((content as { event?: unknown } | null)?.event === "click") return fn(this);
      return undefined;
    });
  }

  /** What a frontend's click sends; lets a cell (or a test) press the button. */
  click(): Promise<void> {
    return this.receive({ method: "custom", content: { event: "click" } });
  }
}

/** An nbformat output as an Output widget's `outputs` state holds it. */
export type NbOutput =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: string }
  | { output_type: "display_data"; data: Record<string, unknown>; metadata: Record<string, unknown> };

/** Output (@jupyter-widgets/output 1.0.0): its `outputs` state is what it shows, live and in saved state. */
export class OutputWidget extends WidgetModel {
  private clearOnNext = false;

  get outputs(): readonly NbOutput[] {
    return this.get("outputs") as NbOutput[];
  }

  clear(wait = false): void {
    if (wait) this.clearOnNext = true;
    else this.set({ outputs: [] });
  }

  append(o: NbOutput): void {
    const base = this.clearOnNext ? [] : this.outputs;
    this.clearOnNext = false;
    // Consecutive stream text of one name merges, as the notebook's output area does.
    const last = base[base.length - 1];
    if (o.output_type === "stream" && last?.output_type === "stream" && last.name === o.name) {
      this.set({ outputs: [...base.slice(0, -1), { ...last, text: last.text + o.text }] });
    } else this.set({ outputs: [...base, o] });
  }

  /** Shows `value` (its richest representation) in this output. */
  display(value: unknown): void {
    const b = formatValue(value);
    this.append({ output_type: "display_data", data: b.data, metadata: b.metadata });
  }

  /** A clear(wait) still pending when nothing was output after it: clears now. */
  flushClear(): void {
    if (this.clearOnNext) this.clear();
  }

  /**
   * Runs `fn` with display() and console output going into this widget. A synchronous `fn`
   * is captured synchronously (the cell's next line is not); for a promise, until it settles.
   */
  capture<T>(fn: () => T): T {
    const sink: OutputSink = {
      display: (b: DisplayBundle) => this.append({ output_type: "display_data", data: b.data, metadata: b.metadata }),
      stream: (name, text) => this.append({ output_type: "stream", name, text }),
      clear: (wait) => this.clear(wait),
    };
    const restore = this.host.redirectOutputs(sink);
    let result: T;
    try {
      result = fn();
    } catch (err) {
      restore();
      throw err;
    }
    if (result instanceof Promise) return result.finally(restore) as T;
    restore();
    return result;
  }
}

/** HBox and VBox: children are widgets, sent as "IPY_MODEL_<id>" references. */
export class BoxWidget extends WidgetModel {
  get children(): WidgetModel[] {
    return (this.get("children") as string[])
      .map((ref) => this.host.get(ref))
      .filter((m): m is WidgetModel => m !== undefined);
  }

  set children(c: WidgetModel[]) {
    this.set({ children: c.map((m) => IPY_MODEL + m.id) });
  }
}
