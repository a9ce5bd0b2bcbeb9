// Widgets live in a browser: a page in headless Chromium connects to a kernel of our kernelspec
// through Debian's classic Notebook server with @jupyterlab/services, and renders the kernel's
// widgets with a real @jupyter-widgets manager (html-manager's HTMLManager, its comms on the
// services kernel connection: tests/frontend/widget-page). The page is bundled by esbuild at test
// time and served by the Notebook server as a static file (its own origin, as a real frontend's
// page), so nothing comes from a CDN.
// A user moves the slider with the keyboard; the kernel variable bound to it and the interact
// Output's text in the page follow. Then notebook 09's rating form (llm.evaluation.ratingForm):
// clicked through and submitted in the page, it records the file the input() path records for
// the same answers. On failure a screenshot goes to out/test-output/live-widgets/.
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import type { Page } from "playwright-core";
import { CHROMIUM_PKG, NOTEBOOK, systemPackages } from "../helpers/system";
import { NotebookServer, startNotebookServer } from "../helpers/notebook-server";
import { Chromium, launchChromium, screenshotOnFailure } from "../helpers/browser";
import { bundleWidgetPage } from "./widget-page/bundle";
// Types only (and page.ts's declaration of window.llmlab): the page's code runs in the browser.
import type { CellRun } from "./widget-page/page";

const ROOT = resolve(__dirname, "../..");
const SHOTS = join(ROOT, "out", "test-output", "live-widgets");
/** The first cell compiles TypeScript and loads the kernel's libraries; a loaded 2-core machine is slow. */
const CELL_MS = 180_000;
const PAGE = "llmlab-widget-page";
/**
 * The one console error tolerated, and not the widgets': @jupyterlab/services first offers the
 * v1 kernel websocket subprotocol; classic Notebook 6.4 answers without one, Chromium logs the
 * failed handshake, and services reconnects with the legacy protocol (by design, see its
 * KernelConnection._createSocket). jupyter_server 2 would accept the subprotocol.
 */
const SUBPROTOCOL_PROBE =
  /WebSocket connection to '.*' failed: Error during WebSocket handshake: Sent non-empty 'Sec-WebSocket-Protocol' header but no response was received/;

jest.setTimeout(400_000);

(systemPackages(__filename, NOTEBOOK, CHROMIUM_PKG) ? describe : describe.skip)(
  "live widgets: a page with @jupyter-widgets' manager, @jupyterlab/services and the Notebook server",
  () => {
    let server: NotebookServer;
    let bundle: string;
    let browser: Chromium;
    let page: Page;
    const problems: string[] = [];

    beforeAll(async () => {
      // The page is a static file of the server (/static/...): same origin as its REST API and
      // websocket, as a real frontend's page is.
      bundle = mkdtempSync(join(tmpdir(), "llmlab-widget-page-"));
      await bundleWidgetPage(join(bundle, PAGE));
      server = await startNotebookServer([], { staticDirs: [bundle] });
      browser = await launchChromium({ width: 1000, height: 800 });
      page = await browser.context.newPage();
      page.on("console", (m) => {
        if (m.type() === "error" && !SUBPROTOCOL_PROBE.test(m.text())) problems.push(`console: ${m.text()}`);
      });
      page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      await page.goto(`${server.url}static/${PAGE}/index.html?token=${server.token}`);
      const started = await page
        .evaluate(
          (ms) =>
            Promise.race([
              window.llmlab.ready.then(() => "started"),
              new Promise<string>((ok) => setTimeout(() => ok(`no kernel connection within ${ms} ms`), ms)),
            ]),
          CELL_MS,
        )
        .catch((err: Error) => err.message);
      if (started !== "started")
        throw new Error(`the page did not start: ${started}\nthe page said:\n${problems.join("\n")}\n${server.log()}`);
    });
    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      if (bundle) rmSync(bundle, { recursive: true, force: true });
    });

    /** Runs `body`; on failure saves a screenshot of the page and says where, with the server's log. */
    const shot = (name: string, body: () => Promise<void>): Promise<void> =>
      screenshotOnFailure(page, SHOTS, name, body, () => `\nserver log (tail):\n${server.log().slice(-3000)}`);

    /** A cell through the page's own kernel connection (the one the widget manager listens to). */
    const run = (code: string): Promise<CellRun> => page.evaluate((src) => window.llmlab.run(src), code);

    const outputText = () => page.locator(".widget-output").innerText();

    test("moving the slider with the keyboard changes a kernel variable and interact's output", () =>
      shot("slider-round-trip", async () => {
        const made = await run(
          [
            'const k = widgets.intSlider({ min: 0, max: 10, value: 3, description: "k" });',
            "let chosen = k.value;",
            "k.observe(({ new: v }) => { chosen = v; });",
            "const ui = interact(({ k }) => `${k} squared is ${k * k}`, { k });",
            "ui",
          ].join("\n"),
        );
        expect(made).toEqual({ status: "ok", result: "interact(k)" });
        const slider = page.locator(".widget-slider", { hasText: "k" });
        await expect(slider.locator(".widget-readout").innerText()).resolves.toBe("3");
        await expect(outputText()).resolves.toContain("3 squared is 9");

        // A user: focus the slider's handle and press the right arrow twice.
        const handle = slider.locator(".noUi-handle");
        await handle.focus();
        await handle.press("ArrowRight");
        await handle.press("ArrowRight");
        await expect(slider.locator(".widget-readout").innerText()).resolves.toBe("5");

        // (b) the Output in the page shows fn's result for the new value
        await page.waitForFunction(
          () => document.querySelector(".widget-output")?.textContent?.includes("5 squared is 25"),
          undefined,
          { timeout: 30_000 },
        );
        expect(await outputText()).not.toContain("3 squared is 9");
        // (a) the kernel's variable followed the slider
        expect(await run("JSON.stringify([chosen, k.value, ui.values().k])")).toEqual({
          status: "ok",
          result: "'[5,5,5]'",
        });
        // (c) nothing went wrong in the page
        expect(problems).toEqual([]);
      }));

    test("notebook 09's rating form: a learner clicks scores and Submit; the ratings file is the input() path's", () =>
      shot("rating-form", async () => {
        const made = await run(
          [
            'const rItems = [{ id: "item1", prompt: "Hi ", outputs: { cool: "Hi there, friend", hot: "Hi qzx vvk" } }];',
            'const rOpts = { rater: "me", collectedBy: "browser test", description: "live form", date: "2026-12-03", seed: 0 };',
            "let recorded: unknown;",
            "const form = llm.evaluation.ratingForm(rItems, widgets, { ...rOpts, onSubmit: (f) => {",
            "  recorded = f;",
            '  display(llm.evaluation.ratingsOutput(f), { displayId: "my-ratings", update: true });',
            "} });",
            "display(form.widget);",
            'display.text("not rated yet", { displayId: "my-ratings" });',
            "form.questions.length",
          ].join("\n"),
        );
        expect(made).toEqual({ status: "ok", result: "7" });
        const groups = page.locator(".widget-toggle-buttons");
        await expect(groups.count()).resolves.toBe(7);
        // per output (in the form's blind order) coherence, relevance, fluency; then the better one
        const clicks = ["4", "3", "5", "2", "2", "3", "Output 2"];
        for (const [i, label] of clicks.entries())
          await groups.nth(i).getByRole("button", { name: label, exact: true }).click();
        await page.getByRole("button", { name: "Submit ratings" }).click();
        await page.waitForFunction(
          () => document.body.innerText.includes("Recorded 6 scores and 1 A/B choice;"),
          undefined,
          { timeout: 30_000 },
        );
        // the ratings output below the form was replaced in place (what saving the notebook keeps)
        await page.waitForFunction(
          () => document.body.innerText.includes("human ratings by me: 6 Likert scores, 1 A/B preferences"),
          undefined,
          { timeout: 30_000 },
        );
        expect(await page.locator("pre.output-text", { hasText: "not rated yet" }).count()).toBe(0);
        // the same answers, one question at a time as input() asks them, give the same file
        const same = await run(
          [
            'const script = ["4", "3", "5", "2", "2", "3", "2"];',
            "const reference = await llm.evaluation.collectRatings(rItems, () => script.shift()!, rOpts);",
            "JSON.stringify(recorded) === JSON.stringify(reference) && reference.likert.length === 6",
          ].join("\n"),
        );
        expect(same).toEqual({ status: "ok", result: "true" });
        expect(problems).toEqual([]);
      }));
  },
);
