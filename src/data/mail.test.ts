import { cleanMail, decodeHeader, parseMail, stripBoilerplate } from "./mail";
import { htmlToText } from "./html";

const PLAIN = [
  "From someone@example.com  Thu Aug 22 12:36:23 2002",
  "Return-Path: <someone@example.com>",
  "Received: from mail.example.com (mail.example.com [10.0.0.1])",
  "\tby mx.example.org; Thu, 22 Aug 2002 07:36:16 -0400",
  "Subject: Lunch",
  "  on Friday",
  "From: Alice <alice@example.com>",
  "",
  "Shall we meet at noon?",
  "",
  "-- ",
  "Alice, Example Corp",
].join("\n");

describe("mail parsing", () => {
  test("headers are unfolded and dropped; subject kept as the first line; signature cut", () => {
    const m = parseMail(PLAIN);
    expect(m.headers["received"]).toMatch(/^from mail\.example\.com .* by mx\.example\.org/);
    expect(m.subject).toBe("Lunch on Friday");
    expect(cleanMail(PLAIN).text).toBe("Lunch on Friday\n\nShall we meet at noon?\n");
  });
  test("multipart/alternative: text/plain preferred over text/html; QP decoded", () => {
    const raw = [
      "Subject: Hi",
      'Content-Type: multipart/alternative; boundary="XYZ"',
      "",
      "preamble",
      "--XYZ",
      "Content-Type: text/plain; charset=iso-8859-1",
      "Content-Transfer-Encoding: quoted-printable",
      "",
      "Caf=E9 au lait, s=",
      "oft line.",
      "--XYZ",
      "Content-Type: text/html",
      "",
      "<p>HTML version</p>",
      "--XYZ--",
      "epilogue",
    ].join("\n");
    const m = parseMail(raw);
    expect(m.body.trim()).toBe("Café au lait, soft line.");
    expect(m.parts).toEqual(["text/plain"]);
  });
  test("HTML-only and base64 parts are decoded and stripped of markup, script and style", () => {
    const html =
      "<html><head><style>p{color:red}</style></head><body><p>Buy&nbsp;now &amp; save</p><script>x()</script><br>Only &#36;5</body></html>";
    const raw = [
      "Content-Type: text/html; charset=utf-8",
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.from(html).toString("base64"),
    ].join("\n");
    expect(parseMail(raw).body.trim()).toBe("Buy now & save\nOnly $5");
  });
  test("attachments are skipped; nested message/rfc822 is walked", () => {
    const raw = [
      'Content-Type: multipart/mixed; boundary="b1"',
      "",
      "--b1",
      "Content-Type: text/plain",
      "",
      "See attached.",
      "--b1",
      "Content-Type: application/pdf",
      'Content-Disposition: attachment; filename="x.pdf"',
      "",
      "JVBERi0xLjQK",
      "--b1",
      "Content-Type: message/rfc822",
      "",
      "Subject: inner",
      "",
      "Inner text.",
      "--b1--",
    ].join("\n");
    const body = parseMail(raw).body;
    expect(body).toContain("See attached.");
    expect(body).toContain("Inner text.");
    expect(body).not.toContain("JVBERi0");
  });
  test("RFC 2047 encoded words", () => {
    expect(decodeHeader("=?iso-8859-1?Q?Caf=E9_ouvert?=")).toBe("Café ouvert");
    expect(decodeHeader("=?utf-8?B?SGVsbG8gd29ybGQ=?=")).toBe("Hello world");
  });
  test("boilerplate: quoted reply + attribution, forwarded header block, list footer", () => {
    const body = [
      "I agree with this.",
      "",
      "On Thu, 22 Aug 2002, Bob wrote:",
      "> the original",
      "> text",
      "",
      "---------- Forwarded message ----------",
      "From: Carol <c@x.org>",
      "Date: Mon, 1 Jan 2002",
      "Subject: plan",
      "",
      "The forwarded plan.",
      "",
      "_______________________________________________",
      "Exmh-workers mailing list",
      "https://listman.example.com/mailman/listinfo/exmh-workers",
    ].join("\n");
    expect(stripBoilerplate(body).replace(/\n+/g, "\n").trim()).toBe("I agree with this.\nThe forwarded plan.");
  });
  test("htmlToText keeps block breaks and decodes entities", () => {
    expect(htmlToText("<div>a</div><div>b &lt;c&gt; &#x263A;</div>").trim()).toBe("a\nb <c> ☺");
  });
});
