// Headless Chromium for the browser tests (the book, the saved-widgets book, classic Notebook):
// one way to start it on a profile of its own, and one list of what a page did wrong.
import { mkdirSync, mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { BrowserContext, Page, chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS } from "./system";

export interface Chromium {
  context: BrowserContext;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/**
 * Debian's Chromium, headless, on an empty user-data-dir of its own (a persistent context), so
 * that nothing from the machine's own profile reaches the page.
 */
export async function launchChromium(viewport?: { width: number; height: number }): Promise<Chromium> {
  const profile = mkdtempSync(join(tmpdir(), "llmlab-chromium-"));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      ...(viewport ? { viewport } : {}),
    });
    return {
      context,
      close: async () => {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Collects what went wrong on `page` (console errors, page errors, failed requests, HTTP errors)
 * and aborts every request that does not start with `origin`, recording it: a page that must
 * work offline passes only with the returned list empty.
 */
export async function watchProblems(page: Page, origin: string): Promise<string[]> {
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
    if (route.request().url().startsWith(origin)) return route.continue();
    problems.push(`outside request: ${route.request().url()}`);
    return route.abort();
  });
  return problems;
}

/**
 * Runs `body`; on failure saves a full-page screenshot to `dir/name.png` and adds its path (and
 * `context()`, e.g. the server's log) to the error's message and stack: jest prints the stack,
 * which a Playwright error captured before this.
 */
export async function screenshotOnFailure(
  page: Page,
  dir: string,
  name: string,
  body: () => Promise<void>,
  context: () => string = () => "",
): Promise<void> {
  try {
    await body();
  } catch (err) {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    const e = err as Error;
    const more = `\nscreenshot: ${file}${context()}`;
    e.message += more;
    if (e.stack) e.stack += more;
    throw e;
  }
}
