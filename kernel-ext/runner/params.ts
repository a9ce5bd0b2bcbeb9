// Parameters, as papermill does them but for TypeScript: the first cell tagged `parameters`
// declares defaults; given values go into a new cell tagged `injected-parameters` right after
// it. Each cell is its own scope in tslab's converter, so re-declaring a `const` there shadows
// the default for every later cell (checked: tslab 1.0.22 converter keeps only the newest
// declaration of a name in its __prev__.d.ts).
import * as ts from "typescript";
import { Cell, CodeCell, Notebook, cellTags, joinSource, newCellId } from "./nbformat";

export const PARAMETERS_TAG = "parameters";
export const INJECTED_TAG = "injected-parameters";

type Kind = "string" | "number" | "boolean" | "array" | "object" | "other";

export interface Parameter {
  name: string;
  keyword: "const" | "let" | "var";
  /** The declared type as written (`number`, `"small" | "full"`), if any. */
  type?: string;
  /** What the default literal is, to check given values and to widen literal types. */
  kind: Kind;
  defaultText: string;
}

export function parametersCellIndex(nb: Notebook): number {
  return nb.cells.findIndex((c) => c.cell_type === "code" && cellTags(c).includes(PARAMETERS_TAG));
}

function kindOf(e: ts.Expression | undefined): Kind {
  if (!e) return "other";
  while (ts.isAsExpression(e) || ts.isParenthesizedExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return "string";
  if (ts.isNumericLiteral(e) || (ts.isPrefixUnaryExpression(e) && ts.isNumericLiteral(e.operand))) return "number";
  if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword) return "boolean";
  if (ts.isArrayLiteralExpression(e)) return "array";
  if (ts.isObjectLiteralExpression(e)) return "object";
  return "other";
}

/** The top-level variables a parameters cell declares. */
export function declaredParameters(source: string): Parameter[] {
  const sf = ts.createSourceFile("parameters.ts", source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const params: Parameter[] = [];
  for (const stmt of sf.statements) {
    if (!ts.isVariableStatement(stmt)) continue;
    const flags = stmt.declarationList.flags;
    const keyword = flags & ts.NodeFlags.Const ? "const" : flags & ts.NodeFlags.Let ? "let" : "var";
    for (const d of stmt.declarationList.declarations) {
      if (!ts.isIdentifier(d.name)) continue;
      params.push({
        name: d.name.text,
        keyword,
        type: d.type?.getText(sf),
        kind: kindOf(d.initializer),
        defaultText: d.initializer?.getText(sf) ?? "undefined",
      });
    }
  }
  return params;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A TypeScript literal for a JSON-like value (what -p and --params-file can give). */
export function toTsLiteral(value: unknown, where = "value"): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Number.isNaN(value)
        ? "NaN"
        : !Number.isFinite(value)
          ? value > 0
            ? "Infinity"
            : "-Infinity"
          : String(value);
    case "boolean":
      return String(value);
    case "object":
      if (Array.isArray(value)) return `[${value.map((v, i) => toTsLiteral(v, `${where}[${i}]`)).join(", ")}]`;
      return `{ ${Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `${IDENT.test(k) ? k : JSON.stringify(k)}: ${toTsLiteral(v, `${where}.${k}`)}`)
        .join(", ")} }`;
    default:
      throw new Error(
        `${where}: cannot write a ${typeof value} as a TypeScript literal (use strings, numbers, booleans, null, arrays, objects)`,
      );
  }
}

function kindOfValue(v: unknown): Kind {
  if (Array.isArray(v)) return "array";
  if (v !== null && typeof v === "object") return "object";
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return typeof v as Kind;
  return "other";
}

/** A `-p name=value` value: JSON when it parses (3, true, [1,2], "x"), else the raw string; a string parameter always gets the raw text. */
export function parseParamValue(raw: string, declared?: Parameter): unknown {
  if (declared?.kind === "string" && !/^".*"$/s.test(raw)) return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** The declaration written into the injected cell, typed like the default so later cells type-check. */
export function injectedDeclaration(p: Parameter, value: unknown): string {
  const given = kindOfValue(value);
  if (p.kind !== "other" && given !== p.kind && !(p.type && value === null)) {
    throw new Error(
      `parameter ${p.name}: expected a ${p.kind} like its default ${p.defaultText}, got ${JSON.stringify(value)}`,
    );
  }
  // Without an annotation a `const` takes the literal's own type (`const n = 3` is of type 3);
  // widen primitives so cells written against the default still type-check.
  const type = p.type ?? (p.kind === "string" || p.kind === "number" || p.kind === "boolean" ? p.kind : undefined);
  return `${p.keyword} ${p.name}${type ? `: ${type}` : ""} = ${toTsLiteral(value, p.name)};`;
}

/**
 * Returns a copy of `nb` with an `injected-parameters` cell after the parameters cell (replacing
 * one left by an earlier run). Unknown names are rejected with the list of declared ones.
 */
export function injectParameters(nb: Notebook, params: Record<string, unknown>, notebookName = "notebook"): Notebook {
  const names = Object.keys(params);
  if (names.length === 0) return nb;
  const at = parametersCellIndex(nb);
  if (at < 0)
    throw new Error(
      `${notebookName}: parameters given (${names.join(", ")}) but no code cell is tagged "${PARAMETERS_TAG}"`,
    );
  const declared = declaredParameters(joinSource(nb.cells[at].source));
  const byName = new Map(declared.map((p) => [p.name, p]));
  const unknown = names.filter((n) => !byName.has(n));
  if (unknown.length) {
    throw new Error(
      `${notebookName}: unknown parameter${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; ` +
        `the parameters cell declares: ${declared.map((p) => p.name).join(", ") || "(nothing)"}`,
    );
  }
  const lines = names.map((n) => injectedDeclaration(byName.get(n) as Parameter, params[n]));
  const cell: CodeCell = {
    id: newCellId(),
    cell_type: "code",
    metadata: { tags: [INJECTED_TAG] },
    source: ["// Parameters injected by `llmlab run`", ...lines].join("\n"),
    execution_count: null,
    outputs: [],
  };
  const cells: Cell[] = nb.cells.filter((c) => !cellTags(c).includes(INJECTED_TAG));
  cells.splice(parametersCellIndex({ ...nb, cells }) + 1, 0, cell);
  return { ...nb, cells };
}

/** Resolves raw CLI `name=value` pairs against the notebook's declared parameters. */
export function parseCliParams(pairs: string[], nb: Notebook): Record<string, unknown> {
  const at = parametersCellIndex(nb);
  const declared = at < 0 ? [] : declaredParameters(joinSource(nb.cells[at].source));
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new Error(`-p ${pair}: expected name=value`);
    const name = pair.slice(0, eq);
    out[name] = parseParamValue(
      pair.slice(eq + 1),
      declared.find((p) => p.name === name),
    );
  }
  return out;
}
