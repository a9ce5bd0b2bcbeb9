// Saved widgets in the book, in headless Chromium: @jupyter-widgets/html-manager (served from
// the book's own assets, nothing from a CDN) draws the controls of tests/fixtures/widgets, an
// executed notebook whose widget state our runner saved, with their last values and outputs.
import { mkdtempSync, mkdirSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { Page } from "playwright-core";
import { buildBook, serveBook, BookServer } from ".";
import { CHROMIUM_PKG, systemPackages } from "../../tests/helpers/system";
import { Chromium, launchChromium, watchProblems } from "../../tests/helpers/browser";

const IN = join(__dirname, "..", "..", "tests", "fixtures", "widgets");
const ARTEFACTS = process.env.LLMLAB_TEST_ARTEFACTS ?? join(__dirname, "..", "..", "out", "test-artefacts");

jest.setTimeout(120_000);

(systemPackages(__filename, CHROMIUM_PKG) ? describe : describe.skip)("saved widgets in the book, in a browser", () => {
  let out: string;
  let server: BookServer;
  let browser: Chromium;
  let page: Page;
  let problems: string[] = [];

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), "llmlab-widget-book-"));
    const book = buildBook({ inDir: IN, outDir: out });
    expect(book.chapters.map((c) => [c.page, c.widgets])).toEqual([["01-widgets.html", 4]]);
    server = await serveBook(out, { port: 0 });
    browser = await launchChromium();
    page = await browser.context.newPage();
    problems = await watchProblems(page, server.url);
    await page.goto(server.url + "01-widgets.html", { waitUntil: "load" });
    // The html-manager replaces each view script with its widget once the state is loaded.
    await page
      .waitForFunction(
        () =>
          document.querySelectorAll(".widget-view .jupyter-widgets").length > 0 &&
          document.querySelectorAll('.widget-view script[type="application/vnd.jupyter.widget-view+json"] + *')
            .length === 0,
        undefined,
        { timeout: 60_000 },
      )
      .catch(() => undefined);
  });

  afterEach(async () => {
    // A failing test leaves a screenshot of the page (CI keeps out/test-artefacts).
    const state = expect.getState();
    if (
      page &&
      state.assertionCalls > 0 &&
      (state as { numPassingAsserts?: number }).numPassingAsserts !== state.assertionCalls
    ) {
      mkdirSync(ARTEFACTS, { recursive: true });
      await page
        .screenshot({
          path: join(ARTEFACTS, `widgets-book-${state.currentTestName?.replace(/\W+/g, "-")}.png`),
          fullPage: true,
        })
        .catch(() => undefined);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  test("the saved controls draw with their last values", async () => {
    const slider = page.locator(".widget-slider", { hasText: "temperature" });
    await expect(slider.count()).resolves.toBe(1);
    await expect(slider.locator(".widget-readout").textContent()).resolves.toBe("1.50");
    const k = page.locator(".widget-slider", { hasText: "k" }).filter({ hasNotText: "temperature" });
    await expect(k.locator(".widget-readout").textContent()).resolves.toBe("2");
    await expect(page.locator(".widget-dropdown select").inputValue()).resolves.toBe("greedy");
    await expect(page.locator("button.widget-button", { hasText: "sample" }).count()).resolves.toBe(1);
    await expect(page.locator(".widget-checkbox input").isChecked()).resolves.toBe(true);
    await expect(page.locator(".widget-toggle-buttons button.mod-active").textContent()).resolves.toBe("q4_0");
  });

  test("interact's Output shows the last run's output, the heatmap its PNG from a binary buffer", async () => {
    const output = page.locator(".widget-output");
    await expect(output.textContent()).resolves.toMatch(/mode greedy\s*'k=2'/);
    const size = await page.locator("img.widget-image").evaluate(
      (img: HTMLImageElement) =>
        new Promise<number[]>((resolve) => {
          const done = () => resolve([img.naturalWidth, img.naturalHeight]);
          if (img.complete && img.naturalWidth) done();
          else img.addEventListener("load", done);
        }),
    );
    expect(size).toEqual([4, 4]); // 2 x 2 cells at scale 2
  });

  test("no console errors, failed requests or requests outside the book", () => {
    expect(problems).toEqual([]);
  });
});
