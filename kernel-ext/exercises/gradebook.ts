// The gradebook in the shape `nbgrader export` writes (one row per student and notebook, nbgrader's
// student_id, score and max_score columns), with one column per exercise, the run's status and
// seconds; and a feedback page per submission: the check messages, then the executed notebook.
import type { Notebook, Output } from "../book/notebook";
import { joinText } from "../book/notebook";
import type { GradeReport } from "./grade";

/** RFC 4180 quoting; a leading = + - @ gets a ' so spreadsheets do not run a student's folder name as a formula. */
export function csvField(v: string | number): string {
  let s = String(v);
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function gradebookCsv(reports: GradeReport[]): string {
  const ids = [...new Set(reports.flatMap((r) => r.rows.map((x) => x.id)))].sort((a, b) =>
    a.localeCompare(b, "en", { numeric: true }),
  );
  const header = ["student_id", "notebook", ...ids, "score", "max_score", "status", "seconds"];
  const rows = reports.map((r) => {
    const byId = new Map(r.rows.map((x) => [x.id, x.ok ? 1 : 0]));
    return [
      r.student,
      r.notebook,
      ...ids.map((id) => (byId.has(id) ? byId.get(id)! : "")),
      r.passed,
      r.total,
      r.status,
      Number(r.seconds.toFixed(1)),
    ];
  });
  return [header, ...rows].map((row) => row.map((c) => csvField(c)).join(",")).join("\n") + "\n";
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Text of an output; HTML and scripts a submission displays are never rendered (the page is the instructor's too). */
function outputText(o: Output): string {
  if (o.output_type === "stream") return joinText(o.text);
  if (o.output_type === "error") return `${o.ename}: ${o.evalue}`;
  const plain = o.data?.["text/plain"];
  return typeof plain === "string" || Array.isArray(plain) ? joinText(plain as string | string[]) : "";
}

export function feedbackPage(r: GradeReport, executed?: Notebook): string {
  const who = r.student ? `${r.student}: ${r.notebook}` : r.notebook;
  const checks = r.rows
    .map(
      (x) =>
        `<tr><td>${esc(x.id)}</td><td class="${x.ok ? "ok" : "no"}">${x.ok ? "✓" : "✗"}</td><td><pre>${esc(x.message)}</pre></td></tr>`,
    )
    .join("\n");
  const cells = (executed?.cells ?? [])
    .map((c) => {
      const src = `<pre class="${c.cell_type}">${esc(joinText(c.source))}</pre>`;
      const outs = (c.outputs ?? [])
        .map(outputText)
        .filter((t) => t.trim())
        .map((t) => `<pre class="out">${esc(t.length > 20000 ? `${t.slice(0, 20000)}…` : t)}</pre>`);
      return `<section>${src}${outs.join("")}</section>`;
    })
    .join("\n");
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${esc(who)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body{font:15px/1.4 system-ui,sans-serif;max-width:60em;margin:2em auto}pre{white-space:pre-wrap;margin:.3em 0}
.ok{color:#1a7f37}.no{color:#b35900}td{vertical-align:top;padding:2px 8px}pre.code{background:#f4f4f4;padding:4px}
pre.markdown{color:#444}pre.out{border-left:3px solid #ccc;padding-left:6px}section{margin:1em 0}</style></head>
<body><h1>${esc(who)}</h1>
<p>Score ${r.passed}/${r.total} · ${esc(r.status)}${r.reason ? `: ${esc(r.reason)}` : ""} · ${r.seconds.toFixed(1)} s</p>
${r.restored?.length ? `<p>Restored protected cells (edited or deleted): ${esc(r.restored.join(", "))}</p>` : ""}
<table><tr><th>exercise</th><th></th><th>message</th></tr>
${checks}
</table>
<h2>Your notebook, as graded</h2>
${cells || "<p>(the run left no notebook)</p>"}
</body></html>
`;
}
