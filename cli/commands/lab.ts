// `llmlab lab` (npm run lab): install our kernelspec, then open the notebooks in JupyterLab or
// Notebook when one is installed; otherwise say exactly how to open them elsewhere.
import { Command } from "commander";
import { spawn, spawnSync } from "child_process";
import { accessSync, constants } from "fs";
import { delimiter, join, resolve } from "path";
import { packageRoot } from "./start";

/** The first executable called `name` on PATH (what `which` does, without needing `which`). */
export function onPath(name: string, path = process.env.PATH ?? ""): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

export const HOW_TO_OPEN = (root: string): string => `No JupyterLab or Jupyter Notebook found on PATH. Either:

  VS Code
    1. Install the "Jupyter" extension (ms-toolsai.jupyter).
    2. Open the folder ${root} and then a notebook in notebooks/, e.g. notebooks/01-data-collection.ipynb.
    3. Click "Select Kernel" (top right) -> "Jupyter Kernel..." -> "TypeScript (llmlab)".
       (Not listed? Run \`npx llmlab kernel install --user\` and reload the window.)

  JupyterLab
    pipx install jupyterlab     (or: python3 -m pip install --user jupyterlab;
                                 Debian/Ubuntu: sudo apt-get install jupyter-notebook)
    then run \`npm run lab\` again, and pick the "TypeScript (llmlab)" kernel.

Without any front end, \`npm start\` runs every notebook and serves them as an HTML book.`;

export function register(program: Command): void {
  program
    .command("lab")
    .description("install the llmlab kernelspec and open the notebooks in JupyterLab/Notebook (or say how)")
    .option("--no-install", "do not (re)install the kernelspec")
    .action(async (opts: { install: boolean }) => {
      const root = packageRoot();
      if (opts.install) {
        const r = spawnSync(process.execPath, [resolve(__dirname, "..", "llmlab.js"), "kernel", "install", "--user"], {
          stdio: "inherit",
        });
        if (r.status !== 0) throw new Error("`llmlab kernel install --user` failed (see above)");
      }
      const front = [
        ["jupyter-lab", "JupyterLab"],
        ["jupyter-notebook", "Jupyter Notebook"],
      ]
        .map(([exe, name]) => ({ exe: onPath(exe), name }))
        .find((f) => f.exe);
      if (!front?.exe) {
        console.log(HOW_TO_OPEN(root));
        return;
      }
      console.log(`Starting ${front.name} in ${root} (open notebooks/, kernel "TypeScript (llmlab)"; Ctrl-C stops it)`);
      const child = spawn(front.exe, [], { cwd: root, stdio: "inherit" });
      // Ctrl-C reaches Jupyter through the shared terminal; wait for it to finish shutting down.
      process.on("SIGINT", () => undefined);
      process.exitCode = await new Promise<number>((done) => child.on("exit", (code) => done(code ?? 0)));
    });
}
