// `llmlab lint`: the rules a committed course notebook follows (see the brief's "Notebooks").
// Schema validity comes from Jupyter's own nbformat 4.5 JSON schema (vendored, BSD-3, see
// schema/LICENSE); the rest are our conventions, each problem naming the rule it breaks.
import Ajv from "ajv-draft-04";
import { readFileSync } from "fs";
import * as ts from "typescript";
import schema from "./schema/nbformat.v4.5.schema.json";
import { Cell, Notebook, cellTags, joinSource } from "./nbformat";
import { PARAMETERS_TAG } from "./params";

export interface Problem {
  rule: "json" | "schema" | "version" | "ids" | "outputs" | "kernelspec" | "parameters" | "paths";
  message: string;
  /** 0-based cell index, when the problem is in one cell. */
  cell?: number;
}

export const KERNELSPEC = { name: "llmlab", display_name: "TypeScript (llmlab)", language: "typescript" };
export const LANGUAGE_INFO = { name: "typescript", file_extension: ".ts" };

const ajv = new Ajv({ allErrors: false, strict: false });
const validateSchema = ajv.compile(schema);

export function lintFile(path: string): Problem[] {
  let nb: unknown;
  try {
    nb = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    return [{ rule: "json", message: `not readable as JSON: ${(err as Error).message}` }];
  }
  return lintNotebook(nb);
}

export function lintNotebook(raw: unknown): Problem[] {
  if (!validateSchema(raw)) {
    return (validateSchema.errors ?? []).slice(0, 3).map((e) => ({
      rule: "schema" as const,
      message: `nbformat 4.5 schema: ${e.instancePath || "/"} ${e.message ?? "is invalid"}`,
      cell: cellOf(e.instancePath),
    }));
  }
  const nb = raw as unknown as Notebook; // the schema just checked its shape
  const problems: Problem[] = [];
  if (nb.nbformat !== 4 || nb.nbformat_minor !== 5) {
    problems.push({ rule: "version", message: `expected nbformat 4.5, got ${nb.nbformat}.${nb.nbformat_minor}` });
  }
  const seen = new Map<string, number>();
  nb.cells.forEach((cell, i) => {
    const first = seen.get(cell.id);
    if (first !== undefined)
      problems.push({ rule: "ids", cell: i, message: `cell id "${cell.id}" repeats the id of cell ${first + 1}` });
    seen.set(cell.id, i);
    if (cell.cell_type === "code" && (cell.outputs.length > 0 || cell.execution_count !== null)) {
      problems.push({
        rule: "outputs",
        cell: i,
        message: `outputs not cleared (${cell.outputs.length} outputs, execution_count ${cell.execution_count}); commit notebooks with outputs: [] and execution_count: null`,
      });
    }
  });
  problems.push(...checkMetadata(nb), ...checkParameters(nb), ...checkPaths(nb));
  return problems;
}

function cellOf(pointer: string): number | undefined {
  const m = /^\/cells\/(\d+)/.exec(pointer);
  return m ? Number(m[1]) : undefined;
}

function checkMetadata(nb: Notebook): Problem[] {
  const problems: Problem[] = [];
  const ks = (nb.metadata.kernelspec ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(KERNELSPEC)) {
    if (ks[k] !== v)
      problems.push({
        rule: "kernelspec",
        message: `metadata.kernelspec.${k} must be ${JSON.stringify(v)}, got ${JSON.stringify(ks[k])}`,
      });
  }
  const li = (nb.metadata.language_info ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(LANGUAGE_INFO)) {
    if (li[k] !== v)
      problems.push({
        rule: "kernelspec",
        message: `metadata.language_info.${k} must be ${JSON.stringify(v)}, got ${JSON.stringify(li[k])}`,
      });
  }
  return problems;
}

/** The first code cell is tagged `parameters` and holds only `const` declarations, each with a comment (the full-size value). */
function checkParameters(nb: Notebook): Problem[] {
  const i = nb.cells.findIndex((c) => c.cell_type === "code");
  if (i < 0) return [{ rule: "parameters", message: "no code cells: the first code cell must be tagged parameters" }];
  const cell = nb.cells[i];
  if (!cellTags(cell).includes(PARAMETERS_TAG)) {
    return [
      {
        rule: "parameters",
        cell: i,
        message: `the first code cell (cell ${i + 1}) must be tagged "${PARAMETERS_TAG}"`,
      },
    ];
  }
  const src = joinSource(cell.source);
  const sf = ts.createSourceFile("parameters.ts", src, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const problems: Problem[] = [];
  for (const stmt of sf.statements) {
    const line = sf.getLineAndCharacterOfPosition(stmt.getStart(sf)).line + 1;
    if (!ts.isVariableStatement(stmt) || !(stmt.declarationList.flags & ts.NodeFlags.Const)) {
      problems.push({
        rule: "parameters",
        cell: i,
        message: `parameters cell line ${line}: only const declarations belong here`,
      });
      continue;
    }
    const commented =
      (ts.getLeadingCommentRanges(src, stmt.getFullStart()) ?? []).length > 0 ||
      (ts.getTrailingCommentRanges(src, stmt.getEnd()) ?? []).length > 0;
    if (!commented) {
      const names = stmt.declarationList.declarations.map((d) => d.name.getText(sf)).join(", ");
      problems.push({
        rule: "parameters",
        cell: i,
        message: `parameters cell line ${line}: ${names} needs a comment giving the full-size value`,
      });
    }
  }
  if (sf.statements.length === 0)
    problems.push({ rule: "parameters", cell: i, message: "the parameters cell declares nothing" });
  return problems;
}

// Absolute paths tie a notebook to one machine: home and work folders, drive letters,
// and any string literal in code that starts at the root.
const MACHINE_PATH =
  /(?<![\w:/.~-])(?:\/(?:home|root|Users|work|tmp|mnt|srv|opt|var|data)\/[^\s"'`)]*|[A-Za-z]:\\[^\s"'`]*)/;
const ROOT_LITERAL = /(["'`])\/[\w.-]+\/[^"'`]*\1/;

function checkPaths(nb: Notebook): Problem[] {
  const problems: Problem[] = [];
  nb.cells.forEach((cell: Cell, i) => {
    const src = joinSource(cell.source);
    const hit = MACHINE_PATH.exec(src)?.[0] ?? (cell.cell_type === "code" ? ROOT_LITERAL.exec(src)?.[0] : undefined);
    if (hit)
      problems.push({
        rule: "paths",
        cell: i,
        message: `absolute path ${hit}: use a path relative to the notebook or the repository`,
      });
  });
  return problems;
}

export function formatProblems(path: string, problems: Problem[]): string {
  return problems
    .map((p) => `${path}:${p.cell === undefined ? "" : ` cell ${p.cell + 1}:`} [${p.rule}] ${p.message}`)
    .join("\n");
}
