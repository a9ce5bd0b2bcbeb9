import * as ts from "typescript";
import { mapStack, splitSourceMaps } from "./traceback";

// Reference: TypeScript's own emitter. Build the same two-step output tslab produces
// (TS -> ES module with an inline map, then ES module -> CommonJS with another) and check
// that positions in the final JavaScript come back to the TypeScript source lines.
function twoStep(src: string): string {
  const esm = ts.transpileModule("export {};\n" + src, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, inlineSourceMap: true },
  }).outputText;
  return ts.transpileModule(esm, {
    fileName: "custom.js",
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, inlineSourceMap: true },
  }).outputText;
}

test("positions in the converted JavaScript map back to the cell's lines", () => {
  const src = [
    "import * as path from 'path';",
    "interface P { x: number }",
    "",
    "function f(p: P): number {",
    "  throw new Error(path.sep + p.x);",
    "}",
    "f({ x: 1 });",
  ].join("\n");
  const cell = splitSourceMaps(twoStep(src));
  expect(cell.code).not.toMatch(/sourceMappingURL/);
  const lines = cell.code.split("\n");
  const throwLine = lines.findIndex((l) => l.includes("throw new Error")) + 1;
  const callLine = lines.findIndex((l) => /^\(0, |^f\(/.test(l.trim()) || l.trim().startsWith("f({")) + 1;
  expect(cell.toCell(throwLine, lines[throwLine - 1].indexOf("throw") + 1)?.line).toBe(5);
  expect(cell.toCell(callLine, 1)?.line).toBe(7);
  expect(cell.toCell(lines.length + 1, 1)).toBeUndefined();
});

test("mapStack rewrites cell frames and drops the wrapper frame", () => {
  const cell = { code: "", toCell: (line: number) => (line <= 3 ? { line: line + 10, column: 2 } : undefined) };
  const stack = ["Error: x", "    at f (In[2]:3:5)", "    at In[2]:9:1", "    at g (/lib/x.js:1:1)"].join("\n");
  expect(mapStack(stack, new Map([["In[2]", cell]]))).toBe(
    ["Error: x", "    at f (In[2]:13:2)", "    at g (/lib/x.js:1:1)"].join("\n"),
  );
});
