// Jupyter widgets (protocol 2.1.0) for the kernel's cells: `widgets.*` and `interact`.
import * as path from "path";
import { createInteract, createWidgetsApi } from "./api";
import { WidgetManager } from "./manager";

export { WidgetManager, CONTROL_TARGET, WIDGET_TARGET, type OutputSink, type WidgetKernel } from "./manager";
export { PROTOCOL_VERSION, STATE_MIME, VIEW_MIME } from "./spec";
export { WidgetModel, type Change } from "./model";
export * from "./controls";
export type { WidgetsApi, Interactive, InteractValues, Abbreviation, SliderOptions, SelectionOptions } from "./api";

/** The globals a kernel installs: `widgets` (the factories) and `interact`. */
export function widgetGlobals(manager: WidgetManager) {
  const widgets = createWidgetsApi(manager);
  return { widgets, interact: createInteract(manager, widgets) };
}

/** Cell declarations of those globals (typed from this module's own .d.ts). */
export function widgetDeclarations(): string {
  const api = JSON.stringify(path.join(__dirname, "api"));
  return [
    "/** Jupyter widgets: sliders, dropdowns, buttons, outputs... e.g. widgets.floatSlider({ min: 0, max: 2, value: 1 }). */",
    `const widgets: import(${api}).WidgetsApi;`,
    "/** Calls fn with the controls' values now and whenever one moves; its output goes to an Output widget below them. */",
    `const interact: ReturnType<typeof import(${api}).createInteract>;`,
  ].join("\n");
}
