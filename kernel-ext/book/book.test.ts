// The book from a fixture of executed notebooks: pages, order, outputs of every kind, assets.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "fs";
import { request } from "http";
import { tmpdir } from "os";
import { join } from "path";
import { buildBook, courseOrder, serveBook } from ".";
import { outputHtml, stripAnsi, terminalText } from "./outputs";

const FIXTURES = join(__dirname, "..", "..", "tests", "fixtures", "book");

describe("courseOrder", () => {
  it("sorts by the NN- prefix as a number, unnumbered last", () => {
    expect(courseOrder(["10-ten.ipynb", "x.ipynb", "02-b.ipynb", "01-a.ipynb", "2-c.ipynb"])).toEqual([
      "01-a.ipynb",
      "02-b.ipynb",
      "2-c.ipynb",
      "10-ten.ipynb",
      "x.ipynb",
    ]);
  });
});

describe("terminal text", () => {
  it("strips colour codes and keeps what a carriage return leaves visible", () => {
    expect(stripAnsi("\x1b[0;31mTypeError\x1b[0m: x")).toBe("TypeError: x");
    expect(terminalText("\r0/3\r1/3\r3/3\ndone\n")).toBe("3/3\ndone\n");
  });
});

describe("buildBook", () => {
  let out: string;
  let result: ReturnType<typeof buildBook>;
  const read = (f: string) => readFileSync(join(out, f), "utf8");
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), "llmlab-book-"));
    result = buildBook({ inDir: FIXTURES, outDir: out });
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("writes a chapter per notebook in course order, titled by the first heading", () => {
    expect(result.chapters.map((c) => [c.page, c.title])).toEqual([
      ["01-fixture.html", "01 · A fixture chapter"],
      ["02-second.html", "02 · Second chapter"],
      ["10-tenth.html", "10-tenth"],
    ]);
    const index = read("index.html");
    expect(index.indexOf("01-fixture.html")).toBeLessThan(index.indexOf("02-second.html"));
    expect(index.indexOf("02-second.html")).toBeLessThan(index.indexOf("10-tenth.html"));
  });

  it("renders math at build time, highlights code, rewrites notebook links", () => {
    const html = read("01-fixture.html");
    expect(html).toContain('class="katex-display"');
    expect(html).toMatch(/<span class="katex">.*?x.*?<\/span>/s);
    expect(html).not.toContain("$x^2");
    expect(html).toContain('<span class="hljs-keyword">const</span>');
    expect(html).toContain('href="02-second.html"');
    expect(read("02-second.html")).toContain('href="01-fixture.html#cell-c2"');
  });

  it("renders each kind of output, preferring the plotly JSON over its HTML", () => {
    const html = read("01-fixture.html");
    expect(html.match(/class="plotly-chart"/g)).toHaveLength(1);
    expect(html).not.toContain("plotly html that the book must not use");
    expect(html).toContain('style="height:300px"');
    expect(html).toMatch(/<table class="metrics">.*valLoss.*perSize\.512<\/th><td>2\.250/s);
    expect(html).toContain('<table class="dataframe">');
    expect(html).toMatch(/<pre class="output-stream stderr">3\/3\n<\/pre>/);
    expect(html).toContain(">green\n</pre>");
    expect(html).toContain('src="data:image/png;base64,iVBOR');
    expect(html).toContain("<circle");
    expect(html).toContain("llmlab-check");
    expect(html).toMatch(
      /<pre class="output-error">TypeError: shapes \[2,3\] and \[4\] do not match\n {4}at &lt;cell 8&gt;/,
    );
    expect(html).not.toContain("\x1b");
    expect(html).toContain('<script src="assets/plotly.min.js">');
    expect(read("10-tenth.html")).not.toContain("plotly.min.js");
  });

  it("summarises the run from the runner's report", () => {
    const run = read("run.html");
    expect(run).toMatch(/01-fixture\.ipynb.*badge ok.*12\.5.*8\/8.*valLoss = 2/s);
    expect(run).toContain("02-second.ipynb, cell 2: Error: boom");
    // 10-tenth is not in the report: what the notebook itself says (nothing was executed).
    expect(run).toMatch(/10-tenth\.ipynb.*not run/s);
  });

  it("says on every chapter at which size its numbers were produced", () => {
    // From the report's row; else what the executed notebook records; else unknown.
    expect(read("01-fixture.html")).toMatch(
      /<p class="run-size full">.*Full size: the parameters of 01-fixture\.json \(iters=2000\)/,
    );
    expect(read("02-second.html")).toMatch(/<p class="run-size ci">.*CI size/);
    expect(read("10-tenth.html")).toContain("Size of this run: unknown");
    expect(read("run.html")).toMatch(/01-fixture\.ipynb.*badge ok.*<td>full<\/td>/s);
  });

  it("copies KaTeX's CSS and fonts, the highlight theme and plotly.js once", () => {
    expect(existsSync(join(out, "assets", "katex", "katex.min.css"))).toBe(true);
    expect(
      readdirSync(join(out, "assets", "katex", "fonts")).filter((f) => f.endsWith(".woff2")).length,
    ).toBeGreaterThan(10);
    expect(existsSync(join(out, "assets", "highlight.css"))).toBe(true);
    expect(readFileSync(join(out, "assets", "plotly.min.js"), "utf8").length).toBeGreaterThan(1e6);
  });

  it("says what is wrong with a folder without notebooks", () => {
    expect(() => buildBook({ inDir: out, outDir: join(out, "x") })).toThrow(/no \.ipynb files in/);
    expect(() => buildBook({ inDir: join(out, "missing"), outDir: out })).toThrow(/is not a folder/);
  });

  it("serves the book on 127.0.0.1 and never outside its folder", async () => {
    const srv = await serveBook(out, { port: 0 });
    const get = (path: string) =>
      new Promise<{ status: number; type: string }>((ok, fail) => {
        request(srv.url.replace(/\/$/, "") + path, (res) => {
          res.resume();
          ok({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]) });
        })
          .on("error", fail)
          .end();
      });
    try {
      expect(srv.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(await get("/")).toEqual({ status: 200, type: "text/html; charset=utf-8" });
      expect((await get("/assets/katex/katex.min.css")).type).toBe("text/css; charset=utf-8");
      expect((await get("/nope.html")).status).toBe(404);
      expect((await get("/..%2F..%2F..%2Fetc%2Fpasswd")).status).toBe(403);
    } finally {
      await srv.close();
    }
  });
});

describe("widget views", () => {
  const view = {
    "application/vnd.jupyter.widget-view+json": { version_major: 2, version_minor: 0, model_id: "m1" },
    "text/plain": "FloatSlider(value=1)",
  };
  const out = { output_type: "display_data" as const, data: view, metadata: {} };
  const md = { render: (s: string) => s } as unknown as Parameters<typeof outputHtml>[1]["md"];

  it("a saved model's view becomes the script the html-manager draws", () => {
    const ctx = { md, plots: 0, widgets: 0, widgetModels: new Set(["m1"]) };
    expect(outputHtml(out, ctx)).toContain(
      '<script type="application/vnd.jupyter.widget-view+json">{"version_major":2,"version_minor":0,"model_id":"m1"}</script>',
    );
    expect(ctx.widgets).toBe(1);
  });

  it("an unsaved model falls back to its text, saying why", () => {
    const ctx = { md, plots: 0, widgets: 0, widgetModels: new Set<string>() };
    expect(outputHtml(out, ctx)).toBe(
      '<pre class="output-text">FloatSlider(value=1) (a widget: its state was not saved with the notebook)</pre>',
    );
    expect(ctx.widgets).toBe(0);
  });

  it("a book without widgets copies no widget assets", () => {
    const dir = mkdtempSync(join(tmpdir(), "llmlab-book-"));
    try {
      buildBook({ inDir: FIXTURES, outDir: dir });
      expect(existsSync(join(dir, "assets", "widgets"))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
