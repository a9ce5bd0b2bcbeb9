// The book's own stylesheet and page script, and the third-party files copied next to them:
// KaTeX's CSS and fonts, a highlight.js theme, and plotly.js (once, shared by every chapter).
import { readdirSync } from "fs";
import { dirname, join } from "path";

export const BOOK_CSS = `
:root { --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --code-bg: #f6f8fa; --accent: #0969da; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); font: 16px/1.6 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
header.book { border-bottom: 1px solid var(--border); padding: 8px 24px; display: flex; gap: 20px; align-items: baseline; }
header.book .brand { font-weight: 700; color: var(--fg); text-decoration: none; }
header.book a { color: var(--accent); text-decoration: none; }
main { max-width: 980px; margin: 0 auto; padding: 16px 24px 48px; }
nav.pager { display: flex; justify-content: space-between; border-top: 1px solid var(--border); margin-top: 32px; padding-top: 12px; }
a { color: var(--accent); }
pre, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13.5px; }
:not(pre) > code { background: var(--code-bg); padding: 0.1em 0.3em; border-radius: 4px; }
.cell { margin: 12px 0; }
.cell.code .input { position: relative; }
.cell.code .prompt { position: absolute; left: -52px; top: 8px; width: 48px; text-align: right; color: var(--muted); font: 12px ui-monospace, monospace; }
.cell-label { position: absolute; right: 8px; top: 4px; font-size: 11px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.05em; }
pre.hljs { background: var(--code-bg); border: 1px solid var(--border); border-radius: 6px; padding: 10px 12px; overflow-x: auto; margin: 0; }
.outputs { border-left: 3px solid var(--border); margin: 4px 0 0; padding: 2px 0 2px 12px; overflow-x: auto; }
.outputs pre { margin: 4px 0; white-space: pre-wrap; word-break: break-word; }
pre.stderr { background: #fff8e6; }
pre.output-error { background: #ffebe9; color: #82071e; padding: 8px; border-radius: 4px; }
table { border-collapse: collapse; margin: 8px 0; font-size: 14px; }
th, td { border: 1px solid var(--border); padding: 3px 8px; text-align: left; vertical-align: top; }
thead th, table.dataframe th { background: var(--code-bg); }
table.metrics caption { text-align: left; color: var(--muted); font-size: 12px; }
.output-image { max-width: 100%; }
.plotly-chart { width: 100%; }
.widget-view { margin: 4px 0; }
.katex-display { overflow-x: auto; overflow-y: hidden; }
blockquote { color: var(--muted); border-left: 3px solid var(--border); margin: 0; padding-left: 12px; }
ol.toc li { margin: 6px 0; }
.run-size { border-left: 4px solid var(--border); padding: 4px 10px; color: var(--muted); font-size: 14px; }
.run-size.full { border-color: #1a7f37; }
.run-size.custom { border-color: #9a6700; }
.badge { display: inline-block; font-size: 12px; border-radius: 10px; padding: 0 8px; margin-left: 8px; border: 1px solid var(--border); color: var(--muted); }
.badge.ok { color: #1a7f37; border-color: #1a7f37; }
.badge.error, .badge.timeout, .badge.dead, .badge.not-started { color: #cf222e; border-color: #cf222e; }
`;

/** Draws every chart of the page from its JSON spec; marks each div once drawn (tests wait for it). */
export const BOOK_JS = `(function () {
  function draw() {
    var specs = document.querySelectorAll('script[type="application/json"][data-plot]');
    for (var i = 0; i < specs.length; i++) {
      (function (s) {
        var div = document.getElementById(s.getAttribute("data-plot"));
        if (!window.Plotly) { div.textContent = "plotly.js did not load"; return; }
        var spec = JSON.parse(s.textContent);
        window.Plotly.newPlot(div, spec.data, spec.layout, spec.config).then(function () {
          div.setAttribute("data-drawn", "true");
        }, function (err) { console.error("plot " + div.id + ": " + err); });
      })(specs[i]);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
`;

const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

/** [source file or folder, destination under the book's assets/]. */
export function vendorAssets(opts: { widgets?: boolean } = {}): [string, string][] {
  const katex = join(packageDir("katex"), "dist");
  return [
    [join(katex, "katex.min.css"), "katex/katex.min.css"],
    [join(katex, "fonts"), "katex/fonts"],
    [join(packageDir("highlight.js"), "styles", "github.min.css"), "highlight.css"],
    [require.resolve("plotly.js-dist-min/plotly.min.js"), "plotly.min.js"],
    ...(opts.widgets ? widgetAssets() : []),
  ];
}

/**
 * @jupyter-widgets/html-manager's standalone bundle (base, controls and output models, their CSS)
 * and the Font Awesome fonts it loads next to itself (webpack's publicPath is the script's own
 * folder), so saved widgets draw without a CDN. The AMD bundles and source maps are not needed.
 */
function widgetAssets(): [string, string][] {
  const dist = join(packageDir("@jupyter-widgets/html-manager"), "dist");
  return readdirSync(dist)
    .filter((f) => f === "embed.js" || f === "embed.js.LICENSE.txt" || /^[0-9a-f]{20}\.(woff2?|ttf|eot|svg)$/.test(f))
    .map((f) => [join(dist, f), `widgets/${f}`]);
}
