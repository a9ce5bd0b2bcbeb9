// A CommonJS module made from source text rather than read from disk, as Node's own loader
// would make it from a file (filename, node_modules lookup paths, _compile): for tslab's
// converter compiled with our fixes (tsconverter.ts) and for the notebook's own .ts modules
// (local-modules.ts). `prepare` runs before the code does (e.g. to give the module its require).
import Module from "module";
import * as path from "path";

type Compilable = Module & { _compile(code: string, filename: string): void; paths: string[] };
const nodeModulePaths = (dir: string): string[] =>
  (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dir);

export function compileModule(filename: string, code: string, prepare: (m: Module) => void = () => undefined): Module {
  const m = new Module(filename, module) as Compilable;
  m.filename = filename;
  m.paths = nodeModulePaths(path.dirname(filename));
  prepare(m);
  m._compile(code, filename);
  m.loaded = true;
  return m;
}
