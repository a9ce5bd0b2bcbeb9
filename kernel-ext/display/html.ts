// Small helpers shared by the HTML formatters.

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/**
 * JSON that is safe inside a <script> element: no `</script>` or `<!--` can close or confuse it,
 * and U+2028/U+2029 (legal in JSON, line ends in older JavaScript) are escaped too.
 */
export function scriptJson(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** A number as tables show it: integers whole, others to 6 significant digits. */
export function formatNumber(v: number): string {
  if (Number.isInteger(v) || !Number.isFinite(v)) return String(v);
  return String(Number(v.toPrecision(6)));
}

export function formatCell(v: unknown): string {
  if (typeof v === "number") return formatNumber(v);
  if (v === null || v === undefined) return "NaN";
  return typeof v === "string" ? v : String(v);
}
