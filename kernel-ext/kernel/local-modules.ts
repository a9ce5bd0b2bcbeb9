// The notebook's own TypeScript modules: `import { f } from "./helpers"` where helpers.ts sits
// beside the notebook. The converter type-checks such a module with the cell that first imports
// it and hands back its CommonJS (tslab's "side outputs"); Node's require cannot load the .ts
// file itself, so those outputs are compiled here, each as a module of its own. As in Python, a
// module is loaded once per kernel: an edited helpers.ts takes effect after a restart.
import type Module from "module";
import * as path from "path";
import type { SideOutput } from "tslab/dist/converter";
import { compileModule } from "./compile-module";

export class LocalModules {
  private readonly code = new Map<string, string>(); // the emitted .js path -> its CommonJS
  private readonly loaded = new Map<string, Module>();

  /** requireFrom(dir): the plain require of a module in dir (packages, builtins). */
  constructor(private readonly requireFrom: (dir: string) => NodeJS.Require) {}

  /** A conversion's side outputs (one per module it emitted). */
  add(outputs: readonly SideOutput[] | undefined): void {
    for (const o of outputs ?? []) {
      this.code.set(o.path, o.data);
      this.loaded.delete(o.path);
    }
  }

  /** `req` (a require for code in dir) with this notebook's modules in front of it. */
  wrap(req: NodeJS.Require, dir: string): NodeJS.Require {
    const wrapped = (id: string): unknown => {
      const file = this.fileOf(id, dir);
      return file === undefined ? req(id) : this.load(file);
    };
    return Object.assign(wrapped, {
      resolve: req.resolve,
      cache: req.cache,
      main: req.main,
      extensions: req.extensions,
    });
  }

  /** The emitted file a relative or absolute id names ("./helpers", "./helpers.js", "./lib"). */
  private fileOf(id: string, dir: string): string | undefined {
    if (!id.startsWith(".") && !path.isAbsolute(id)) return undefined;
    const file = path.resolve(dir, id);
    return [file, `${file}.js`, path.join(file, "index.js")].find((f) => this.code.has(f));
  }

  private load(file: string): unknown {
    const done = this.loaded.get(file);
    if (done) return done.exports;
    const m = compileModule(file, this.code.get(file) as string, (mod) => {
      // Its own imports: its neighbours first, then packages as a cell would find them.
      mod.require = this.wrap(this.requireFrom(path.dirname(file)), path.dirname(file));
      this.loaded.set(file, mod); // before it runs: an import cycle gets the partial exports, as require does
    });
    return m.exports;
  }
}
