// Bundles the test page (page.ts, its widget manager, @jupyterlab/services and
// @jupyter-widgets/html-manager with their CSS and fonts) with esbuild into a folder, at test
// time: nothing is fetched, nothing built is committed.
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { build } from "esbuild";

/** Writes index.html, page.js and page.css (plus the fonts the CSS names) into `outDir`. */
export async function bundleWidgetPage(outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(__dirname, "page.ts")],
    bundle: true,
    outdir: outDir,
    platform: "browser",
    format: "iife",
    target: "es2022",
    logLevel: "error",
    // Libraries check process.env.NODE_ENV; there is no process in a page.
    define: { "process.env.NODE_ENV": '"production"' },
    loader: { ".woff": "file", ".woff2": "file", ".ttf": "file", ".eot": "file", ".svg": "file", ".png": "file" },
  });
  writeFileSync(
    join(outDir, "index.html"),
    [
      "<!doctype html>",
      '<html><head><meta charset="utf-8"><title>llmlab live widgets</title>',
      '<link rel="stylesheet" href="page.css"></head>',
      '<body><div id="cells"></div><script src="page.js"></script></body></html>',
      "",
    ].join("\n"),
  );
}
