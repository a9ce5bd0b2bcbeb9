// notebooks/full-size/<notebook>.json (what `llmlab start --full` passes to the runner as
// --params-file) agrees with the "full size: ..." comments of each parameters cell.
import { existsSync, readdirSync, readFileSync } from "fs";
import { join } from "path";
import * as ts from "typescript";
import { joinText, readNotebook } from "../../kernel-ext/book/notebook";

const NOTEBOOKS = join(__dirname, "..", "..", "notebooks");
const notebooks = readdirSync(NOTEBOOKS)
  .filter((f) => /^\d\d-.*\.ipynb$/.test(f))
  .sort();

interface Declared {
  name: string;
  defaultValue: unknown;
  /** The value after "full size:" in the line's comment, when it is a literal. */
  full?: unknown;
  /** The comment is a bare literal (`// 2000 (note)`): a full size without its "full size:" label, which --full would miss. */
  bare?: true;
}

/** A literal's value (numbers with _, arrays, objects, Infinity, strings); undefined if it is not one. */
function literal(text: string): unknown {
  const source = `(${text})`;
  if (ts.transpileModule(source, { reportDiagnostics: true }).diagnostics?.length) return undefined; // not an expression
  const e = ts.createSourceFile("x.ts", source, ts.ScriptTarget.ES2022).statements[0];
  if (!e || !ts.isExpressionStatement(e)) return undefined;
  const value = (n: ts.Expression): unknown => {
    if (ts.isParenthesizedExpression(n)) return value(n.expression);
    if (ts.isNumericLiteral(n)) return Number(n.text);
    if (ts.isStringLiteral(n)) return n.text;
    if (ts.isIdentifier(n) && n.text === "Infinity") return Infinity;
    if (n.kind === ts.SyntaxKind.TrueKeyword) return true;
    if (n.kind === ts.SyntaxKind.FalseKeyword) return false;
    if (ts.isArrayLiteralExpression(n)) return n.elements.map((x) => value(x));
    if (ts.isObjectLiteralExpression(n)) {
      return Object.fromEntries(
        n.properties.map((p) => {
          if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)))
            throw new Error("not a literal");
          return [p.name.text, value(p.initializer)];
        }),
      );
    }
    throw new Error("not a literal");
  };
  try {
    return value(e.expression);
  } catch {
    return undefined;
  }
}

function parametersOf(source: string): Declared[] {
  return source.split("\n").flatMap((line) => {
    const m = /^\s*(?:const|let)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(.+?);\s*\/\/(.*)$/.exec(line);
    if (!m) return [];
    const note = /^\s*(.+?)(?:\s+\(.*\))?\s*$/;
    const full = /full size:\s*(.+?)(?:\s+\(.*\))?\s*$/.exec(m[3]);
    const bare = !full && literal(note.exec(m[3])?.[1] ?? "") !== undefined;
    return [
      {
        name: m[1],
        defaultValue: literal(m[2]),
        full: full ? literal(full[1]) : undefined,
        ...(bare ? { bare: true as const } : {}),
      },
    ];
  });
}

it("reads full-size comments as literals", () => {
  expect(
    parametersOf(
      'const A = 25; // documents; full size: Infinity (all of them)\nconst B = [1, 2]; // full size: [1, 2, 4_096]\nconst C = llm.x; // full size: the same\nconst D = { a: 1, "b": [2] }; // full size: { a: 3, b: [4] } (note)\nconst E = { a: f() }; // full size: { a: 1 }',
    ),
  ).toEqual([
    { name: "A", defaultValue: 25, full: Infinity },
    { name: "B", defaultValue: [1, 2], full: [1, 2, 4096] },
    { name: "C", defaultValue: undefined, full: undefined },
    { name: "D", defaultValue: { a: 1, b: [2] }, full: { a: 3, b: [4] } },
    { name: "E", defaultValue: undefined, full: { a: 1 } },
  ]);
});

it('flags a comment that gives a value without the "full size:" label', () => {
  expect(
    parametersOf(
      "const A = 600; // 2000\nconst B = 4; // 8 (rank)\nconst C = false; // true runs the exercises\nconst D = 0; // full size: 0",
    ),
  ).toEqual([
    { name: "A", defaultValue: 600, full: undefined, bare: true },
    { name: "B", defaultValue: 4, full: undefined, bare: true },
    { name: "C", defaultValue: false, full: undefined },
    { name: "D", defaultValue: 0, full: 0 },
  ]);
});

describe.each(notebooks)("%s", (file) => {
  it("has a full-size params file holding exactly the values its comments give", () => {
    const nb = readNotebook(join(NOTEBOOKS, file));
    const cell = nb.cells.find(
      (c) =>
        c.cell_type === "code" &&
        Array.isArray(c.metadata?.tags) &&
        (c.metadata!.tags as string[]).includes("parameters"),
    );
    expect(cell).toBeDefined();
    const declared = parametersOf(joinText(cell!.source));
    // Write these `// full size: VALUE (note)`, or the file below and --full never see them.
    expect(declared.filter((d) => d.bare).map((d) => d.name)).toEqual([]);
    const expected = Object.fromEntries(
      declared
        .filter((d) => d.full !== undefined && JSON.stringify(d.full) !== JSON.stringify(d.defaultValue))
        .map((d) => [d.name, d.full]),
    );
    const path = join(NOTEBOOKS, "full-size", file.replace(/\.ipynb$/, ".json"));
    if (Object.keys(expected).length === 0) return expect(existsSync(path)).toBe(false);
    if (!existsSync(path))
      throw new Error(
        `${file}'s parameters cell gives full sizes (${Object.keys(expected).join(", ")}) but ${path} does not exist: write it, or \`llmlab start --full\` runs this notebook at CI size`,
      );
    // JSON has no Infinity: the files write 1e999, which JSON.parse reads as Infinity.
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual(expected);
  });
});
