// RFC 822/2045 mail -> the text a person wrote. A small MIME walker written by hand
// because the course teaches exactly this step (what is header, what is body, which part
// is the message); a full mail library would hide it.
import { htmlToText, looksLikeHtml } from "./html";

export interface ParsedMail {
  headers: Record<string, string>;
  subject: string;
  body: string;
  /** Content types of the parts the body was taken from, e.g. ["text/plain"]. */
  parts: string[];
}

function splitHeaders(raw: string): { headers: Record<string, string>; body: string } {
  const m = /\r?\n\r?\n/.exec(raw);
  const head = m ? raw.slice(0, m.index) : raw;
  const body = m ? raw.slice(m.index + m[0].length) : "";
  const headers: Record<string, string> = {};
  // Continuation lines start with whitespace (RFC 5322 folding).
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i <= 0 || /\s/.test(line.slice(0, i))) continue; // the mbox "From " line has no colon-key
    const key = line.slice(0, i).trim().toLowerCase();
    if (!(key in headers)) headers[key] = line.slice(i + 1).trim();
  }
  return { headers, body };
}

function param(header: string, name: string): string | null {
  const m = new RegExp(`${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, "i").exec(header);
  return m ? (m[1] ?? m[2]) : null;
}

function decodeBytes(bytes: Buffer, charset: string | null): string {
  try {
    return new TextDecoder((charset ?? "utf-8").toLowerCase() === "us-ascii" ? "utf-8" : (charset ?? "utf-8")).decode(
      bytes,
    );
  } catch {
    return bytes.toString("latin1"); // unknown charset label: keep the bytes readable
  }
}

function decodeTransfer(body: string, encoding: string, charset: string | null): string {
  const enc = encoding.toLowerCase();
  if (enc === "base64") return decodeBytes(Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ""), "base64"), charset);
  if (enc === "quoted-printable") {
    const bytes = Buffer.from(body.replace(/=\r?\n/g, ""), "latin1");
    const out: number[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const hex = bytes.toString("latin1", i + 1, i + 3);
      if (bytes[i] === 0x3d && /^[0-9A-Fa-f]{2}$/.test(hex)) {
        out.push(parseInt(hex, 16));
        i += 2;
      } else out.push(bytes[i]);
    }
    return decodeBytes(Buffer.from(out), charset);
  }
  // 7bit/8bit: the corpus stores bodies as JS strings already.
  return body;
}

/** Depth-first over MIME parts; prefer text/plain, fall back to text/html converted. */
function walk(
  headers: Record<string, string>,
  body: string,
  out: { plain: string[]; html: string[] },
  depth: number,
): void {
  const ctype = headers["content-type"] ?? "text/plain";
  const type = ctype.split(";")[0].trim().toLowerCase();
  if (type.startsWith("multipart/") && depth < 8) {
    const boundary = param(ctype, "boundary");
    if (!boundary) return;
    const sections = body.split(new RegExp(`^--${boundary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:--)?[ \t]*$`, "m"));
    const closed = body.includes(`--${boundary}--`); // truncated spam often lacks the closing boundary
    for (const sec of sections.slice(1, closed ? -1 : undefined)) {
      const s = sec.replace(/^\r?\n/, ""); // the line break that ends the boundary line
      if (/^\r?\n/.test(s)) {
        walk({}, s.replace(/^\r?\n/, ""), out, depth + 1);
        continue;
      } // part without headers
      const part = splitHeaders(s);
      walk(part.headers, part.body, out, depth + 1);
    }
    return;
  }
  if (type === "message/rfc822" && depth < 8) {
    const inner = splitHeaders(body);
    return walk(inner.headers, inner.body, out, depth + 1);
  }
  if (/attachment/i.test(headers["content-disposition"] ?? "")) return;
  if (type !== "text/plain" && type !== "text/html") return;
  const text = decodeTransfer(body, headers["content-transfer-encoding"] ?? "7bit", param(ctype, "charset"));
  if (type === "text/html" || looksLikeHtml(text)) out.html.push(htmlToText(text));
  else out.plain.push(text);
}

/** RFC 2047 encoded-words in headers, e.g. =?iso-8859-1?Q?caf=E9?= */
export function decodeHeader(v: string): string {
  return v.replace(/=\?([^?]+)\?([bq])\?([^?]*)\?=/gi, (_m, cs: string, enc: string, data: string) =>
    enc.toLowerCase() === "b"
      ? decodeTransfer(data, "base64", cs)
      : decodeTransfer(data.replace(/_/g, " "), "quoted-printable", cs),
  );
}

export function parseMail(raw: string): ParsedMail {
  const { headers, body } = splitHeaders(raw);
  const out = { plain: [] as string[], html: [] as string[] };
  walk(headers, body, out, 0);
  return {
    headers,
    subject: decodeHeader(headers["subject"] ?? ""),
    body: (out.plain.length ? out.plain : out.html).join("\n\n"),
    parts: out.plain.length ? out.plain.map(() => "text/plain") : out.html.map(() => "text/html"),
  };
}

/**
 * Boilerplate a writer did not write for this message: quoted replies ("> ..."), their
 * attribution line ("On ... wrote:"), forwarded/original-message header blocks, the
 * "-- " signature (RFC 3676 §4.3) and mailing-list footers after a line of underscores.
 */
export function stripBoilerplate(body: string): string {
  const lines = body.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^-- ?$/.test(line)) break; // signature delimiter: the rest is signature
    if (/^_{20,}\s*$/.test(line) && /mailing list|listinfo|unsubscribe/i.test(lines.slice(i, i + 8).join(" "))) break;
    if (/^\s*>/.test(line)) continue;
    if (
      /^\s*(on\b.{0,200}\bwrote|.{0,120}\b(wrote|writes|said)):\s*$/i.test(line) &&
      i + 1 < lines.length &&
      /^\s*(>|$)/.test(lines[i + 1])
    )
      continue;
    if (
      /^\s*-{3,}\s*(original message|forwarded message|begin forwarded message)\s*-*\s*$/i.test(line) ||
      /^\s*begin forwarded message:?\s*$/i.test(line)
    )
      continue;
    // Header block of a forwarded/quoted message: From:/To:/Sent:/Date:/Subject:/Cc: lines.
    if (
      /^\s*(from|to|cc|sent|date|subject|reply-to):\s/i.test(line) &&
      i > 0 &&
      (/^\s*$/.test(lines[i - 1]) || /^\s*(from|to|cc|sent|date|subject|reply-to):\s|-{3,}/i.test(lines[i - 1]))
    )
      continue;
    out.push(line);
  }
  return out.join("\n");
}

/** The whole mail step: parse, keep Subject as a first line (it is text the sender wrote). */
export function cleanMail(raw: string): { text: string; headers: Record<string, string>; parts: string[] } {
  const m = parseMail(raw);
  const body = stripBoilerplate(m.body);
  return { text: (m.subject ? m.subject + "\n\n" : "") + body, headers: m.headers, parts: m.parts };
}
