// tslab's TypeScript converter (type-checks a cell against the declarations of earlier
// cells, rewrites it to CommonJS and exports its locals), created with three extra
// compiler options that tslab does not let us pass:
//   inlineSourceMap  - so runtime stack traces map back to the cell's own lines;
//   types, typeRoots - only @types/node (from our install, whatever the notebook's
//                      directory), so jest's ambient globals in node_modules/@types do not
//                      leak into cells, and fewer .d.ts files are parsed at start.
// We also turn off the compiler's file and directory watchers: a kernel session does not
// see node_modules change, and polling hundreds of .d.ts files costs ~150 ms at start.
// tslab fixes its options inside createConverter, and the TypeScript module's exports are
// read-only getters, so we hand tslab a Proxy of the module through the require cache.
import * as path from "path";
import type { Converter } from "tslab/dist/converter";

const TS_MODULE = "@tslab/typescript-for-tslab";

type TsModule = {
  createWatchCompilerHost: (roots: string[], options: Record<string, unknown>, ...rest: unknown[]) => unknown;
  transpileModule: (src: string, opts: { compilerOptions?: Record<string, unknown> }) => unknown;
  version: string;
};

let patched = false;

function patchTypeScript(): TsModule {
  const id = require.resolve(TS_MODULE, { paths: [path.dirname(require.resolve("tslab/package.json"))] });
  const ts = require(id) as TsModule;
  if (patched) return ts;
  const typeRoots = [path.dirname(path.dirname(require.resolve("@types/node/package.json")))];
  const proxy = new Proxy(ts, {
    get(target, key) {
      if (key === "createWatchCompilerHost") {
        return (roots: string[], options: Record<string, unknown>, ...rest: unknown[]) =>
          target.createWatchCompilerHost(roots, { ...options, inlineSourceMap: true, types: ["node"], typeRoots }, ...rest);
      }
      if (key === "transpileModule") {
        // The ES module -> CommonJS step: its own map, composed with the first one.
        return (src: string, opts: { compilerOptions?: Record<string, unknown> }) =>
          target.transpileModule(src, { ...opts, compilerOptions: { ...opts.compilerOptions, inlineSourceMap: true } });
      }
      return (target as unknown as Record<string | symbol, unknown>)[key];
    },
  });
  const sys = (ts as unknown as { sys: Record<string, unknown> }).sys;
  const noWatch = () => ({ close: () => undefined });
  sys.watchFile = noWatch;
  sys.watchDirectory = noWatch;
  const cached = require.cache[id];
  if (!cached) throw new Error(`${TS_MODULE} is not in the require cache`);
  cached.exports = proxy;
  patched = true;
  return ts;
}

/** Read from package.json: loading TypeScript itself on the main thread costs ~100 ms. */
export function typescriptVersion(): string {
  const pkg = require.resolve(`${TS_MODULE}/package.json`, { paths: [path.dirname(require.resolve("tslab/package.json"))] });
  return (require(pkg) as { version: string }).version;
}

export function createTsConverter(): Converter {
  patchTypeScript();
  // Loaded after the patch so that tslab binds the proxy.
  const { createConverter } = require("tslab/dist/converter") as typeof import("tslab/dist/converter");
  return createConverter({});
}

/** complete / incomplete (with the indent to continue with), from tslab's parser check. */
export function isCompleteCode(code: string): { completed: boolean; indent?: string } {
  patchTypeScript();
  const { isCompleteCode: check } = require("tslab/dist/converter") as typeof import("tslab/dist/converter");
  return check(code);
}
