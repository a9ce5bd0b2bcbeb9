// The built book in headless Chromium (Debian's /usr/bin/chromium through playwright-core):
// every page loads without console errors or failed requests, nothing is fetched from outside
// the book's server, and every plotly chart draws (an SVG with its traces).
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { chromium, BrowserContext } from "playwright-core";
import { buildBook, serveBook, BookServer } from ".";
import { CHROMIUM, CHROMIUM_ARGS as ARGS, CHROMIUM_PKG, systemPackages } from "../../tests/helpers/system";

// The fixture by default; LLMLAB_BOOK_IN=out/executed checks the book of a real run the same way.
const IN = process.env.LLMLAB_BOOK_IN ?? join(__dirname, "..", "..", "tests", "fixtures", "book");
const FIXTURE = !process.env.LLMLAB_BOOK_IN;

jest.setTimeout(120_000); // Chromium starts slowly on a loaded 2-core machine

(systemPackages(__filename, CHROMIUM_PKG) ? describe : describe.skip)("the book in a browser", () => {
  // Built while collecting tests, so that there is one test per page.
  const out = mkdtempSync(join(tmpdir(), "llmlab-book-"));
  const book = buildBook({ inDir: IN, outDir: out });
  const pages = ["index.html", "run.html", ...book.chapters.map((c) => c.page)];
  let profile: string;
  let server: BookServer;
  let context: BrowserContext; // a persistent context: Chromium with our empty user-data-dir

  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), "llmlab-chromium-")); // an empty user-data-dir
    server = await serveBook(out, { port: 0 });
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  });
  afterAll(async () => {
    await context?.close();
    await server?.close();
    for (const d of [out, profile]) if (d) rmSync(d, { recursive: true, force: true });
  });

  (FIXTURE ? it : it.skip)("has the fixture's pages", () => {
    expect(pages).toEqual(["index.html", "run.html", "01-fixture.html", "02-second.html", "10-tenth.html"]);
  });

  it.each(pages)("%s loads without errors and draws its charts", async (file) => {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
    page.on("response", (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    await page.route("**/*", (route) => {
      if (route.request().url().startsWith(server.url)) return route.continue();
      problems.push(`outside request: ${route.request().url()}`);
      return route.abort();
    });
    try {
      await page.goto(server.url + file, { waitUntil: "load" });
      const charts = book.chapters.find((c) => c.page === file)?.plots ?? 0;
      expect(await page.locator(".plotly-chart").count()).toBe(charts);
      if (charts > 0) {
        await page.waitForFunction(
          (n) => document.querySelectorAll('.plotly-chart[data-drawn="true"]').length === n,
          charts,
          { timeout: 60_000 },
        );
        const traces = await page.$$eval(".plotly-chart", (divs) =>
          divs.map((d) => (d.querySelector("svg.main-svg") ? d.querySelectorAll("g.trace").length : -1)),
        );
        for (const t of traces) expect(t).toBeGreaterThan(0);
      }
      if (FIXTURE && file === "01-fixture.html") {
        // KaTeX's fonts came from the book itself (a missing font would be an HTTP 404 above).
        expect(await page.locator(".katex").count()).toBeGreaterThan(2);
        expect(await page.evaluate(() => document.fonts.check("16px KaTeX_Main"))).toBe(true);
        expect(await page.$$eval(".plotly-chart g.trace", (g) => g.length)).toBe(2);
      }
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
