// A notebook as a chapter: Markdown cells rendered, code highlighted, outputs shown.
import { highlight } from "./markdown";
import { Cell, Notebook, cellTags, joinText } from "./notebook";
import { RenderContext, escapeHtml, outputHtml } from "./outputs";

/** Markdown images may point at cell attachments (`attachment:name.png`); inline them as data URIs. */
function withAttachments(source: string, cell: Cell): string {
  const att = cell.attachments;
  if (!att) return source;
  return source.replace(/attachment:([^)\s"']+)/g, (whole, name: string) => {
    const bundle = att[name];
    const mime = bundle && Object.keys(bundle)[0];
    return mime ? `data:${mime};base64,${bundle[mime]}` : whole;
  });
}

function codeCellHtml(cell: Cell, ctx: RenderContext): string {
  const tags = cellTags(cell);
  const label = tags.includes("injected-parameters")
    ? "injected parameters"
    : tags.includes("parameters")
      ? "parameters"
      : "";
  const prompt = cell.execution_count == null ? "[ ]" : `[${cell.execution_count}]`;
  const outputs = (cell.outputs ?? []).map((o) => outputHtml(o, ctx)).join("\n");
  const id = cell.id ? ` id="cell-${escapeHtml(cell.id)}"` : "";
  return [
    `<section class="cell code${label ? ` ${label.replace(/ /g, "-")}` : ""}"${id}>`,
    `<div class="input"><span class="prompt">${prompt}</span>${label ? `<span class="cell-label">${label}</span>` : ""}`,
    `<pre class="hljs"><code class="language-typescript">${highlight(joinText(cell.source))}</code></pre></div>`,
    outputs ? `<div class="outputs">${outputs}</div>` : "",
    `</section>`,
  ].join("\n");
}

/** The chapter's body HTML and how many plotly charts it holds (the page loads plotly.js only then). */
export function chapterHtml(nb: Notebook, ctx: RenderContext): string {
  return nb.cells
    .map((cell) => {
      if (cell.cell_type === "markdown")
        return `<section class="cell markdown">${ctx.md.render(withAttachments(joinText(cell.source), cell))}</section>`;
      if (cell.cell_type === "code") return codeCellHtml(cell, ctx);
      return ""; // raw cells are for other converters (LaTeX, reST), not for HTML
    })
    .join("\n");
}
