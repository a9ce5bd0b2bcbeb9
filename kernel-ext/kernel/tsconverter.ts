// tslab's TypeScript converter (type-checks a cell against the declarations of earlier
// cells, rewrites it to CommonJS and exports its locals), created with three extra
// compiler options that tslab does not let us pass, and a module resolution that falls back on
// the kernel's own installation (withOwnModules):
//   inlineSourceMap  - so runtime stack traces map back to the cell's own lines;
//   types, typeRoots - only @types/node (from our install, whatever the notebook's
//                      directory), so jest's ambient globals in node_modules/@types do not
//                      leak into cells, and fewer .d.ts files are parsed at start.
// We also turn off the compiler's file and directory watchers: a kernel session does not
// see node_modules change, and polling hundreds of .d.ts files costs ~150 ms at start.
// tslab fixes its options inside createConverter, and the TypeScript module's exports are
// read-only getters, so we hand tslab a Proxy of the module through the require cache.
import * as fs from "fs";
import { compileModule } from "./compile-module";
import * as path from "path";
import type { Converter } from "tslab/dist/converter";

const TS_MODULE = "@tslab/typescript-for-tslab";

type ResolvedModule = { resolvedFileName: string };
type WatchHost = {
  resolveModuleNames?: (
    names: string[],
    containingFile: string,
    reused: unknown,
    redirected: unknown,
    options: unknown,
  ) => (ResolvedModule | undefined)[];
};
type TsModule = {
  createWatchCompilerHost: (roots: string[], options: Record<string, unknown>, ...rest: unknown[]) => WatchHost;
  createModuleResolutionCache: (
    currentDirectory: string,
    getCanonicalFileName: (f: string) => string,
    options: unknown,
  ) => unknown;
  resolveModuleName: (
    name: string,
    containingFile: string,
    options: unknown,
    host: unknown,
    cache?: unknown,
    redirected?: unknown,
  ) => { resolvedModule?: ResolvedModule };
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
          withOwnModules(
            target,
            target.createWatchCompilerHost(
              roots,
              { ...options, inlineSourceMap: true, types: ["node"], typeRoots },
              ...rest,
            ),
          );
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

/**
 * Where a cell's folder does not resolve a module, resolve it as the kernel's own code would
 * (from its installation's node_modules), so a notebook anywhere on disk can import what the
 * course uses; the executor's require does the same at run time.
 *
 * A host that resolves modules itself gets no help from the compiler's resolution cache, and
 * every cell builds a new program: with `llm`'s declarations in scope that meant resolving the
 * imports of every .d.ts again (thousands of lookups, each reading package.json files): 0.46 s
 * a cell against 0.05 s. So what a declaration file imports is resolved once per session
 * (libraries do not change under a running kernel); what a cell or a learner's own .ts module
 * imports is resolved afresh each time, so a module created after a failed import is found.
 */
const OWN_SOURCE = path.join(__dirname, "__kernel__.ts");

function withOwnModules(ts: TsModule, host: WatchHost): WatchHost {
  const resolve = (name: string, containingFile: string, redirected: unknown, options: unknown, cache?: unknown) => {
    const found = ts.resolveModuleName(name, containingFile, options, host, cache, redirected).resolvedModule;
    if (found || name.startsWith(".") || path.isAbsolute(name)) return found;
    return ts.resolveModuleName(name, OWN_SOURCE, options, host, cache, redirected).resolvedModule;
  };
  let cache: unknown; // the compiler's own (per folder and name, package.json files read once)
  host.resolveModuleNames = (names, containingFile, _reused, redirected, options) =>
    names.map((name) => {
      if (!containingFile.endsWith(".d.ts")) return resolve(name, containingFile, redirected, options);
      cache ??= ts.createModuleResolutionCache(process.cwd(), (f) => f, options);
      return resolve(name, containingFile, redirected, options, cache);
    });
  return host;
}

/** Read from package.json: loading TypeScript itself on the main thread costs ~100 ms. */
export function typescriptVersion(): string {
  const pkg = require.resolve(`${TS_MODULE}/package.json`, {
    paths: [path.dirname(require.resolve("tslab/package.json"))],
  });
  return (require(pkg) as { version: string }).version;
}

/**
 * tslab 1.0.22's converter names a cell's locals by TypeScript's internal symbol-table keys,
 * which escape a leading "__" to "___" (`const __seen` becomes `export { ___seen }`: "Cannot find
 * name '___seen'"). The two places that print those keys as code get the plain name back. The
 * converter is compiled from its own file with these edits, in its own module scope, before
 * anything else requires it; a tslab whose source no longer matches is an error, not a silent skip.
 */
const TSLAB_FIXES: [string, string][] = [
  ["keys.add(key);", "keys.add(ts.unescapeLeadingUnderscores(key));"],
  [
    "anyVarsDecls.push(`let ${name}: any;\\n`);",
    "anyVarsDecls.push(`let ${ts.unescapeLeadingUnderscores(name)}: any;\\n`);",
  ],
];

function tslabConverter(): typeof import("tslab/dist/converter") {
  patchTypeScript();
  const id = require.resolve("tslab/dist/converter");
  const cached = require.cache[id];
  if (cached?.loaded) return cached.exports as typeof import("tslab/dist/converter");
  let source = fs.readFileSync(id, "utf8");
  for (const [from, to] of TSLAB_FIXES) {
    if (source.split(from).length !== 2)
      throw new Error(`${id}: expected exactly one \`${from}\` to fix (tslab changed?)`);
    source = source.replace(from, () => to);
  }
  const m = compileModule(id, source);
  require.cache[id] = m;
  return m.exports as typeof import("tslab/dist/converter");
}

export function createTsConverter(): Converter {
  // Loaded after the TypeScript patch so that tslab binds the proxy.
  return tslabConverter().createConverter({});
}

/** complete / incomplete (with the indent to continue with), from tslab's parser check. */
export function isCompleteCode(code: string): { completed: boolean; indent?: string } {
  return tslabConverter().isCompleteCode(code);
}
