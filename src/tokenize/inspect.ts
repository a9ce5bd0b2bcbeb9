// Looking at tokenizations: "com|puter", and side-by-side tables for the notebook.
import { Tokenizer } from "./types";

/** The tokens of text joined by "|" (a space shown as "·" so leading spaces are visible). */
export function showTokens(tok: Tokenizer, text: string): string {
  return tok
    .encode(text)
    .map((id) => tok.tokenText(id).replace(/ /g, "·").replace(/\n/g, "\\n"))
    .join("|");
}

/** A markdown table: one row per text, one column per tokenizer, "count: a|b|c" in each cell. */
export function tokenizationTable(tokenizers: Record<string, Tokenizer>, texts: readonly string[]): string {
  const esc = (s: string): string => s.replace(/\|/g, "\\|").replace(/`/g, "'");
  const names = Object.keys(tokenizers);
  const lines = [`| text | ${names.join(" | ")} |`, `|---|${names.map(() => "---").join("|")}|`];
  for (const text of texts) {
    const cells = names.map((n) => `${tokenizers[n].encode(text).length}: ${esc(showTokens(tokenizers[n], text))}`);
    lines.push(`| ${esc(text.replace(/\n/g, "\\n"))} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}
