// Plotly figures ({data: traces[], layout?, config?}) as Jupyter shows them: the plotly MIME
// type for front ends with a plotly renderer, and HTML that works offline everywhere else
// (nbconvert's HTML pages, JupyterLab without the extension). plotly.js (~4.8 MB) goes into
// the first figure's HTML only, once per kernel session; later figures draw with the
// window.Plotly it defined (as plotly.py's include_plotlyjs does for the first figure).
import { randomUUID } from "crypto";
import { readFileSync } from "fs";
import type { DisplayBundle, Formatter } from "../types";
import { escapeHtml, scriptJson } from "../html";

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

export interface PlotlyFigure {
  data: Record<string, unknown>[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" &&
  v !== null &&
  !Array.isArray(v) &&
  (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** Any plain object whose `data` is an array of trace objects (the brief's figure spec). */
export function isPlotlyFigure(v: unknown): v is PlotlyFigure {
  return (
    isPlainObject(v) &&
    Array.isArray(v.data) &&
    v.data.every(isPlainObject) &&
    (v.layout === undefined || isPlainObject(v.layout)) &&
    (v.config === undefined || isPlainObject(v.config))
  );
}

/** The minified library, wrapped so it only ever defines window.Plotly once per page. */
export function plotlyLibraryScript(): string {
  const src = readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), "utf8").replace(
    /<\/(script)/gi,
    "<\\/$1",
  );
  // `module` is shadowed so that the UMD wrapper takes its browser branch even in pages with
  // a CommonJS-like global; the guard skips re-evaluation when two figures carry it.
  return `<script type="text/javascript">if (!window.Plotly) { (function (module, exports, define) {\n${src}\n})(undefined, undefined, undefined); }</script>`;
}

function summary(fig: PlotlyFigure): string {
  const types = [...new Set(fig.data.map((t) => (typeof t.type === "string" ? t.type : "scatter")))];
  const title = fig.layout?.title;
  const text =
    typeof title === "string" ? title : isPlainObject(title) && typeof title.text === "string" ? title.text : undefined;
  const n = fig.data.length;
  return `Plotly figure${text ? ` "${text}"` : ""}: ${n} trace${n === 1 ? "" : "s"}${n ? ` (${types.join(", ")})` : ""}`;
}

function figureHtml(fig: Required<PlotlyFigure>, id: string, height: number): string {
  const missing = escapeHtml(
    "plotly.js is not loaded on this page: re-run the cell that drew the first chart of this session.",
  );
  return [
    `<div id="${id}" class="plotly-graph-div" style="height:${height}px; width:100%;"></div>`,
    `<script type="text/javascript">(function () {`,
    `  var gd = document.getElementById(${JSON.stringify(id)});`,
    `  if (!window.Plotly) { gd.textContent = ${JSON.stringify(missing)}; return; }`,
    `  window.Plotly.newPlot(gd, ${scriptJson(fig.data)}, ${scriptJson(fig.layout)}, ${scriptJson(fig.config)});`,
    `})();</script>`,
  ].join("\n");
}

/** The bundle for one figure; `library` (the script that defines window.Plotly) goes first when given. */
export function plotlyBundle(value: PlotlyFigure, library?: string): DisplayBundle {
  const fig = { data: value.data, layout: value.layout ?? {}, config: value.config ?? {} };
  const height = typeof fig.layout.height === "number" ? fig.layout.height : 450;
  const html = figureHtml(fig, `llmlab-plot-${randomUUID()}`, height);
  return {
    data: { [PLOTLY_MIME]: fig, "text/html": library ? `${library}\n${html}` : html, "text/plain": summary(value) },
    metadata: {},
  };
}

/**
 * A plotly formatter with its own session state: the first figure it formats carries plotly.js.
 * Caveat: if that first display is later replaced in place (update_display_data), the saved
 * page loses the library; a kernel that knows it is updating that display can rebuild the
 * bundle with plotlyBundle(fig, plotlyLibraryScript()).
 */
export function createPlotlyFormatter(library: () => string = plotlyLibraryScript): Formatter {
  let embedded = false;
  return (value: unknown): DisplayBundle | undefined => {
    if (!isPlotlyFigure(value)) return undefined;
    const bundle = plotlyBundle(value, embedded ? undefined : library());
    embedded = true;
    return bundle;
  };
}

/** The kernel session's plotly formatter (one per process, hence once per session). */
export const plotlyFormatter: Formatter = createPlotlyFormatter();
