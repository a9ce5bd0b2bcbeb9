// The built book in headless Chromium (Debian's /usr/bin/chromium through playwright-core):
// every page loads without console errors or failed requests, nothing is fetched from outside
// the book's server, and every plotly chart draws (an SVG with its traces).
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { buildBook, serveBook, BookServer } from ".";
import { CHROMIUM_PKG, systemPackages } from "../../tests/helpers/system";
import { Chromium, launchChromium, watchProblems } from "../../tests/helpers/browser";

// The fixture by default; LLMLAB_BOOK_IN=out/executed checks the book of a real run the same way.
const IN = process.env.LLMLAB_BOOK_IN ?? join(__dirname, "..", "..", "tests", "fixtures", "book");
const FIXTURE = !process.env.LLMLAB_BOOK_IN;

jest.setTimeout(120_000); // Chromium starts slowly on a loaded 2-core machine

(systemPackages(__filename, CHROMIUM_PKG) ? describe : describe.skip)("the book in a browser", () => {
  // Built while collecting tests, so that there is one test per page.
  const out = mkdtempSync(join(tmpdir(), "llmlab-book-"));
  const book = buildBook({ inDir: IN, outDir: out });
  const pages = ["index.html", "run.html", ...book.chapters.map((c) => c.page)];
  let server: BookServer;
  let browser: Chromium;

  beforeAll(async () => {
    server = await serveBook(out, { port: 0 });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(out, { recursive: true, force: true });
  });

  (FIXTURE ? it : it.skip)("has the fixture's pages", () => {
    expect(pages).toEqual(["index.html", "run.html", "01-fixture.html", "02-second.html", "10-tenth.html"]);
  });

  it.each(pages)("%s loads without errors and draws its charts", async (file) => {
    const page = await browser.context.newPage();
    const problems = await watchProblems(page, server.url);
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
