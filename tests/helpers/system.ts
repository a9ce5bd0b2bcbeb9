// Suites that need a Debian package (a browser, Jupyter's Python tools) check for it here.
// Where one is missing the suite is skipped with one line naming the package and the command
// that installs it; with CI=true (as .ci/run runs) a missing package fails the suite instead,
// so CI never passes by skipping. `npm test` thus passes on a machine with only Node and npm.
import { existsSync } from "fs";
import { spawnSync } from "child_process";
import { relative, resolve } from "path";

export const PYTHON = "/usr/bin/python3";
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Headless Chromium with nothing of its own reaching the network (the browser tests' one launch line). */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface SystemPackage {
  /** The Debian package that provides it. */
  debian: string;
  present(): boolean;
  /** Skipped even under CI=true (CI does not install it on purpose, e.g. python3-torch). */
  optionalInCi?: boolean;
}

const python = (module: string) => (): boolean =>
  existsSync(PYTHON) && spawnSync(PYTHON, ["-c", `import ${module}`], { stdio: "ignore" }).status === 0;

export const CHROMIUM_PKG: SystemPackage = { debian: "chromium", present: () => existsSync(CHROMIUM) };
export const IPYKERNEL: SystemPackage = { debian: "python3-ipykernel", present: python("ipykernel") };
export const KERNEL_TEST: SystemPackage = {
  debian: "python3-jupyter-kernel-test",
  present: python("jupyter_kernel_test"),
};
export const NBCLIENT: SystemPackage = { debian: "python3-nbclient", present: python("nbclient") };
export const NBCONVERT: SystemPackage = { debian: "jupyter-nbconvert", present: python("nbconvert") };
export const NBFORMAT: SystemPackage = { debian: "python3-nbformat", present: python("nbformat") };
export const NOTEBOOK: SystemPackage = { debian: "jupyter-notebook", present: python("notebook.notebookapp") };
export const TORCH: SystemPackage = { debian: "python3-torch", present: python("torch, numpy"), optionalInCi: true };

/**
 * True when every package is installed. Otherwise prints one line and returns false (skip the
 * suite's tests with it), or, under CI=true, throws: the suite fails to run, saying why.
 */
export function systemPackages(testFile: string, ...pkgs: SystemPackage[]): boolean {
  const missing = pkgs.filter((p) => !p.present());
  if (missing.length === 0) return true;
  const names = missing.map((p) => p.debian).join(" ");
  const line = `${relative(resolve(__dirname, "../.."), testFile)}: needs Debian package${missing.length > 1 ? "s" : ""} ${names}; install with: sudo apt-get install -y ${names}`;
  if (process.env.CI === "true" && missing.some((p) => !p.optionalInCi))
    throw new Error(`${line} (CI=true: a missing package fails the suite)`);
  process.stderr.write(`skipped ${line}\n`);
  return false;
}
