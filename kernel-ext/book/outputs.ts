// One output of a code cell as HTML, choosing the richest MIME type we can show offline
// (the order JupyterLab uses, with our own types first).
import { METRICS_MIME } from "../display/types";
import type { Markdown } from "./markdown";
import { joinText, MultilineString, Output } from "./notebook";
import { stripAnsi } from "../runner/ansi";
import { escapeHtml, scriptJson } from "../display/html";

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";
export const WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json";
export const WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json";

const MIME_ORDER = [
  WIDGET_VIEW_MIME, // shown only when the notebook saved that model's state (else the next type)
  PLOTLY_MIME,
  METRICS_MIME,
  "text/html", // check results (application/vnd.llmlab.check+json) carry their own HTML
  "image/svg+xml",
  "image/png",
  "image/jpeg",
  "image/gif",
  "text/markdown",
  "application/json",
  "text/plain",
];

export { escapeHtml, scriptJson, stripAnsi };

/** A terminal's view of text: `\r` returns to the start of the line (progress bars redraw with it). */
export function terminalText(s: string): string {
  return stripAnsi(s)
    .split("\n")
    .map((line) => {
      const parts = line.split("\r").filter((p, i, a) => p !== "" || i === a.length - 1);
      return parts[parts.length - 1] ?? "";
    })
    .join("\n");
}

/** Plots are collected per page: each becomes a div the page script draws with Plotly.newPlot. */
export interface RenderContext {
  md: Markdown;
  plots: number;
  /** Model ids in the notebook's saved widget state: their views are drawn by the html-manager. */
  widgetModels?: ReadonlySet<string>;
  /** Widget views placed on the page. */
  widgets?: number;
}

function asJson(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function plotHtml(fig: unknown, ctx: RenderContext): string {
  const f = asJson(fig) as { data?: unknown; layout?: Record<string, unknown>; config?: Record<string, unknown> };
  if (!f || typeof f !== "object" || !Array.isArray(f.data))
    return `<pre class="output-error">invalid plotly figure: expected {data: [...]}</pre>`;
  const id = `plot-${++ctx.plots}`;
  const height = typeof f.layout?.height === "number" ? f.layout.height : 420;
  const spec = {
    data: f.data,
    layout: f.layout ?? {},
    config: { responsive: true, displaylogo: false, ...(f.config ?? {}) },
  };
  return `<div class="plotly-chart" id="${id}" style="height:${height}px"></div>\n<script type="application/json" data-plot="${id}">${scriptJson(spec)}</script>`;
}

function formatValue(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? v.toLocaleString("en-US") : v.toPrecision(4);
  if (typeof v === "string") return v;
  return JSON.stringify(v);
}

/** Metrics as a two-column table; nested objects (e.g. per-size numbers) as sub-rows. */
export function metricsHtml(data: unknown): string {
  const m = asJson(data);
  if (!m || typeof m !== "object") return `<pre>${escapeHtml(String(m))}</pre>`;
  const rows: string[] = [];
  for (const [k, v] of Object.entries(m as Record<string, unknown>)) {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      for (const [k2, v2] of Object.entries(v))
        rows.push(`<tr><th>${escapeHtml(k)}.${escapeHtml(k2)}</th><td>${escapeHtml(formatValue(v2))}</td></tr>`);
    } else rows.push(`<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(formatValue(v))}</td></tr>`);
  }
  return `<table class="metrics"><caption>published metrics</caption><tbody>${rows.join("")}</tbody></table>`;
}

/** A saved widget's view: @jupyter-widgets/html-manager replaces the script with the live control. */
function widgetHtml(view: unknown, fallback: string, ctx: RenderContext): string {
  const v = asJson(view) as { model_id: string };
  ctx.widgets = (ctx.widgets ?? 0) + 1;
  return `<div class="widget-view"><script type="${WIDGET_VIEW_MIME}">${scriptJson(v)}</script><noscript>${fallback}</noscript></div>`;
}

function mimeHtml(mime: string, value: unknown, ctx: RenderContext): string {
  const text = typeof value === "string" || Array.isArray(value) ? joinText(value as MultilineString) : "";
  switch (mime) {
    case PLOTLY_MIME:
      return plotHtml(value, ctx);
    case METRICS_MIME:
      return metricsHtml(value);
    case "text/html":
    case "image/svg+xml":
      return `<div class="output-html">${text}</div>`;
    case "image/png":
    case "image/jpeg":
    case "image/gif":
      return `<img class="output-image" alt="output image" src="data:${mime};base64,${text.replace(/\s/g, "")}">`;
    case "text/markdown":
      return `<div class="output-markdown">${ctx.md.render(text)}</div>`;
    case "application/json":
      return `<pre class="output-json">${escapeHtml(JSON.stringify(asJson(value), null, 2))}</pre>`;
    default:
      return `<pre class="output-text">${escapeHtml(terminalText(text))}</pre>`;
  }
}

export function outputHtml(out: Output, ctx: RenderContext): string {
  switch (out.output_type) {
    case "stream":
      return `<pre class="output-stream ${out.name === "stderr" ? "stderr" : "stdout"}">${escapeHtml(terminalText(joinText(out.text)))}</pre>`;
    case "error": {
      const tb = (out.traceback ?? []).map(stripAnsi).join("\n");
      const head = `${out.ename ?? "Error"}: ${out.evalue ?? ""}`;
      return `<pre class="output-error">${escapeHtml(tb.includes(out.evalue ?? "\0") ? tb : `${head}\n${tb}`.trim())}</pre>`;
    }
    case "display_data":
    case "execute_result": {
      const data = out.data ?? {};
      const saved = (m: string) =>
        m !== WIDGET_VIEW_MIME ||
        Boolean(ctx.widgetModels?.has(String((asJson(data[m]) as { model_id?: unknown } | null)?.model_id)));
      const mime =
        MIME_ORDER.find((m) => m in data && saved(m)) ?? Object.keys(data).find((m) => m.startsWith("text/"));
      if (mime && mime !== WIDGET_VIEW_MIME && WIDGET_VIEW_MIME in data && !saved(WIDGET_VIEW_MIME)) {
        // A widget whose state was not saved cannot be drawn; say so rather than show a bare repr.
        return `<pre class="output-text">${escapeHtml(terminalText(joinText((data["text/plain"] ?? "") as MultilineString)))} (a widget: its state was not saved with the notebook)</pre>`;
      }
      if (!mime)
        return `<pre class="output-text">(output of type ${escapeHtml(Object.keys(data).join(", ") || "none")} not shown)</pre>`;
      if (mime === WIDGET_VIEW_MIME)
        return widgetHtml(data[mime], mimeHtml("text/plain", data["text/plain"] ?? "", ctx), ctx);
      return mimeHtml(mime, data[mime], ctx);
    }
    default:
      return "";
  }
}
