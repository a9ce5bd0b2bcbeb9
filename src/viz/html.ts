// Text into HTML, for the course's own HTML (exercise verdicts, the rating form's labels).
// src/ does not import kernel-ext, whose display/html.ts has the same for the kernel's formatters.

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
