// Language helpers for is_complete, inspect and cursor positions.
import type * as ts from "@tslab/typescript-for-tslab";
import { isCompleteCode } from "./tsconverter";

type Ts = typeof ts;
const typescript = (): Ts => require("@tslab/typescript-for-tslab") as Ts;

/**
 * complete / incomplete (with the indent to continue with) / invalid. Code is incomplete when
 * every syntax error sits at its end (an open brace, a dangling operator: more lines can fix
 * it) or is an open template literal (TS1160, which may span lines); an error before the end
 * (`)(`, `let 1x`, `const y = ;`, an unterminated string) can never be fixed by adding lines: invalid.
 */
export function checkComplete(code: string): { status: "complete" | "incomplete" | "invalid"; indent?: string } {
  const t = typescript();
  const out = t.transpileModule(code, {
    reportDiagnostics: true,
    compilerOptions: { target: t.ScriptTarget.ES2022, module: t.ModuleKind.ESNext },
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === t.DiagnosticCategory.Error);
  if (errors.length === 0) return { status: "complete" };
  const end = code.trimEnd().length;
  // An unterminated string (TS1002) is reported at the end, but a string cannot go on to the next line.
  const atEnd = (d: ts.Diagnostic) => d.code === 1160 || (d.code !== 1002 && (d.start ?? 0) >= end);
  if (!errors.every(atEnd)) return { status: "invalid" };
  return { status: "incomplete", indent: isCompleteCode(code).indent ?? "" };
}

/** Jupyter counts cursor positions in Unicode code points; JavaScript strings in UTF-16 units. */
export function toCodeUnits(code: string, codePoints: number): number {
  let units = 0;
  let n = 0;
  for (const ch of code) {
    if (n === codePoints) break;
    units += ch.length;
    n++;
  }
  return units;
}

export function toCodePoints(code: string, units: number): number {
  return [...code.slice(0, units)].length;
}

/** Quick info as text/plain and as markdown (the signature in a code block, JSDoc as prose). */
export function inspectMarkdown(info: ts.QuickInfo): Record<string, string> {
  const signature = (info.displayParts ?? []).map((p) => p.text).join("");
  const doc = (info.documentation ?? []).map((p) => p.text).join("");
  const tags = (info.tags ?? []).map((t) => {
    const text = (t.text ?? []).map((p) => p.text).join("");
    return `*@${t.name}*${text ? " — " + text : ""}`;
  });
  const markdown = ["```typescript\n" + signature + "\n```", doc, ...tags].filter(Boolean).join("\n\n");
  const plain = [signature, doc, ...tags.map((t) => t.replace(/\*/g, ""))].filter(Boolean).join("\n\n");
  return { "text/plain": plain, "text/markdown": markdown };
}
