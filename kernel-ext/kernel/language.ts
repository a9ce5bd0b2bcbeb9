// Language helpers for is_complete, inspect and cursor positions.
import type * as ts from "@tslab/typescript-for-tslab";
import { isCompleteCode } from "./tsconverter";

type Ts = typeof ts;
const typescript = (): Ts => require("@tslab/typescript-for-tslab") as Ts;

/** complete / incomplete (with the indent to continue with) / invalid (a syntax error mid-code). */
export function checkComplete(code: string): { status: "complete" | "incomplete" | "invalid"; indent?: string } {
  const r = isCompleteCode(code);
  if (!r.completed) return { status: "incomplete", indent: r.indent ?? "" };
  const t = typescript();
  const out = t.transpileModule(code, { reportDiagnostics: true, compilerOptions: { target: t.ScriptTarget.ES2022, module: t.ModuleKind.ESNext } });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === t.DiagnosticCategory.Error);
  // An open template literal (TS1160) continues on the next line.
  if (errors.length > 0 && errors.every((d) => d.code === 1160)) return { status: "incomplete", indent: "" };
  return errors.length > 0 ? { status: "invalid" } : { status: "complete" };
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
