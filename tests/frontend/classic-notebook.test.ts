// The kernel in a real notebook front end: Debian's Jupyter Notebook (classic Notebook 6.4) with
// our kernelspec, driven in headless Chromium (playwright-core, as the book's browser test).
// notebooks/00-welcome.ipynb (a copy) is opened and run from the Cell menu; the page must show a
// result, a plotly chart with its SVG traces, a danfo table, a progress bar at its total, a
// display updated in place and a type error naming the cell and line. Then the toolbar's
// interrupt button stops `while (true) {}` and an earlier variable keeps its value, a stray
// error shows on its cell, `await input()` shows an input box whose text reaches the cell, and
// Restart gives a fresh kernel. On failure a screenshot goes to out/test-output/classic-notebook/.
import { existsSync } from "fs";
import { join, resolve } from "path";
import { Page } from "playwright-core";
import { CHROMIUM_PKG, NOTEBOOK, systemPackages } from "../helpers/system";
import { Chromium, launchChromium, screenshotOnFailure } from "../helpers/browser";
import { NotebookServer, startNotebookServer } from "../helpers/notebook-server";

const ROOT = resolve(__dirname, "../..");
const SHOTS = join(ROOT, "out", "test-output", "classic-notebook");
/** Cells on a loaded 2-core machine: the first compiles TypeScript and loads tfjs. */
const CELL_MS = 180_000;

jest.setTimeout(400_000);

type NotebookJs = {
  notebook: {
    insert_cell_at_bottom(type: string): { set_text(s: string): void };
    ncells(): number;
    select(i: number): void;
    kernel?: { is_connected(): boolean };
  };
};

(systemPackages(__filename, NOTEBOOK, CHROMIUM_PKG) ? describe : describe.skip)(
  "00-welcome in classic Jupyter Notebook",
  () => {
    let server: NotebookServer;
    let browser: Chromium;
    let page: Page;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      server = await startNotebookServer([join(ROOT, "notebooks", "00-welcome.ipynb")]);
      browser = await launchChromium({ width: 1280, height: 1600 });
      page = await browser.context.newPage();
      page.on("pageerror", (e) => pageErrors.push(e.message));
      await page.goto(`${server.url}notebooks/00-welcome.ipynb?token=${server.token}`);
      await kernelIdle();
    });
    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });

    /** Runs `body`; on failure saves a screenshot of the page and says where, with the server's log. */
    const shot = (name: string, body: () => Promise<void>): Promise<void> =>
      screenshotOnFailure(page, SHOTS, name, body, () => `\nserver log (tail):\n${server.log().slice(-3000)}`);

    function kernelIdle(): Promise<unknown> {
      return page.waitForFunction(
        () => {
          const nb = (window as unknown as { Jupyter?: NotebookJs }).Jupyter?.notebook;
          return (
            !!nb?.kernel?.is_connected() &&
            document.querySelector("#kernel_indicator_icon")?.classList.contains("kernel_idle_icon")
          );
        },
        undefined,
        { timeout: CELL_MS },
      );
    }

    async function waitForFile(file: string, timeoutMs: number): Promise<void> {
      for (const end = Date.now() + timeoutMs; !existsSync(file);) {
        if (Date.now() > end) throw new Error(`${file} did not appear within ${timeoutMs} ms`);
        await page.waitForTimeout(100);
      }
    }

    const cell = (i: number) => page.locator("#notebook-container .cell").nth(i);

    /** Waits until cell `i` has run: its prompt shows a number, not `*`. */
    async function ran(i: number): Promise<void> {
      await page.waitForFunction(
        (n) =>
          /\[\d+\]/.test(
            document.querySelectorAll("#notebook-container .cell")[n]?.querySelector(".input_prompt")?.textContent ??
              "",
          ),
        i,
        { timeout: CELL_MS },
      );
    }

    /** Appends a code cell with `code` and runs it from the Cell menu; returns its index. */
    async function runNew(code: string, wait = true): Promise<number> {
      const i = await page.evaluate((src) => {
        const nb = (window as unknown as { Jupyter: NotebookJs }).Jupyter.notebook;
        nb.insert_cell_at_bottom("code").set_text(src);
        nb.select(nb.ncells() - 1);
        return nb.ncells() - 1;
      }, code);
      await page.click("#celllink");
      await page.click("#run_cell > a");
      if (wait) await ran(i);
      return i;
    }

    test("Run All: a result, a plotly chart, a danfo table and a progress bar at its total", () =>
      shot("run-all", async () => {
        await page.click("#celllink");
        await page.click("#run_all_cells > a");
        const codeCells = await page.locator("#notebook-container .code_cell").count();
        for (let i = 0; i < (await page.locator("#notebook-container .cell").count()); i++) {
          if (await cell(i).evaluate((el) => el.classList.contains("code_cell"))) await ran(i);
        }
        expect(codeCells).toBeGreaterThan(5);
        await kernelIdle();
        expect(await page.locator(".output_error").count()).toBe(0);
        // sum of 0..7, the value of a cell's last expression
        expect(await page.locator(".output_result").allInnerTexts()).toContainEqual(expect.stringContaining("28"));
        // plotly draws SVG traces (the library is inline: nothing is fetched)
        await page.waitForFunction(
          () => document.querySelectorAll(".js-plotly-plot svg.main-svg").length > 0,
          undefined,
          { timeout: 60_000 },
        );
        const traces = await page.$$eval(".js-plotly-plot", (plots) =>
          plots.map((p) => p.querySelectorAll("g.trace").length),
        );
        expect(traces.length).toBeGreaterThanOrEqual(2);
        for (const t of traces) expect(t).toBeGreaterThan(0);
        // the danfo DataFrame as an HTML table with its columns
        const headers = await page.$$eval(".output_html table th", (ths) => ths.map((th) => th.textContent?.trim()));
        expect(headers).toEqual(expect.arrayContaining(["x", "square", "even"]));
        // one progress bar, updated in place up to its total (steps = 20)
        const bars = await page.$$eval(".output_html progress", (ps) =>
          ps.map((p) => [(p as HTMLProgressElement).value, (p as HTMLProgressElement).max]),
        );
        expect(bars).toEqual([[20, 20]]);
      }));

    test("a display updates in place; a type error shows the cell and line", () =>
      shot("display-and-type-error", async () => {
        const shown = await runNew(
          'display.text("first", { displayId: "status" });\nawait new Promise((r) => setTimeout(r, 300));\ndisplay.text("second", { displayId: "status", update: true });',
        );
        expect(await cell(shown).locator(".output_area").allInnerTexts()).toEqual([expect.stringContaining("second")]);
        const typed = await runNew("const fine = 1;\nconst wrong: string = fine;");
        const count = (await cell(typed).locator(".input_prompt").innerText()).match(/\[(\d+)\]/)?.[1];
        const error = await cell(typed).locator(".output_error").innerText();
        expect(error).toContain(`In[${count}]:2:7 - error TS2322`);
      }));

    test("the interrupt button stops while (true) {}; a variable from before keeps its value", () =>
      shot("interrupt", async () => {
        await runNew("const before = 7;");
        // The file is written just before the loop (the kernel runs in the server's folder): once it
        // is there, the loop itself runs, and the interrupt must stop it, not just its compilation.
        const marker = join(server.dir, "spinning.txt");
        const spin = await runNew(
          'import { writeFileSync } from "fs";\nwriteFileSync("spinning.txt", "now");\nwhile (true) {}',
          false,
        );
        await waitForFile(marker, CELL_MS);
        await page.waitForTimeout(300);
        await page.click('button[data-jupyter-action="jupyter-notebook:interrupt-kernel"]');
        await ran(spin);
        expect(await cell(spin).locator(".output_error").innerText()).toContain("KeyboardInterrupt");
        const after = await runNew("before * 6");
        expect(await cell(after).locator(".output_result").innerText()).toContain("42");
      }));

    test("a stray error (a throw in a timer) shows on its cell and the kernel lives on", () =>
      shot("stray-error", async () => {
        const i = await runNew('void setTimeout(() => { throw new Error("late") }, 300);\n"scheduled"');
        await cell(i).locator(".output_error").waitFor({ timeout: 30_000 });
        expect(await cell(i).locator(".output_error").innerText()).toContain("Uncaught Error: late");
        const after = await runNew("before + 1");
        expect(await cell(after).locator(".output_result").innerText()).toContain("8");
      }));

    test("await input() shows an input box; the typed text reaches the cell", () =>
      shot("input", async () => {
        const i = await runNew('const who = await input("name?");\n"hello " + who', false);
        const box = cell(i).locator("input.raw_input");
        await box.waitFor({ timeout: CELL_MS });
        expect(await cell(i).locator(".raw_input_prompt").innerText()).toContain("name?");
        await box.fill("ada");
        await box.press("Enter");
        await ran(i);
        expect(await cell(i).locator(".output_result").innerText()).toContain("'hello ada'");
      }));

    test("Restart gives a fresh kernel", () =>
      shot("restart", async () => {
        await page.click("#kernellink");
        await page.click("#restart_kernel > a");
        await page.locator(".modal-footer button", { hasText: "Restart" }).click();
        await kernelIdle();
        const i = await runNew("typeof (globalThis as { before?: number }).before");
        expect(await cell(i).locator(".input_prompt").innerText()).toContain("[1]");
        expect(await cell(i).locator(".output_result").innerText()).toContain("'undefined'");
        expect(pageErrors).toEqual([]);
      }));
  },
);
