import { dedupKey, normalizeText } from "./normalize";

describe("normalisation", () => {
  test("NFC: a decomposed é becomes the composed code point", () => {
    expect(normalizeText("cafe\u0301")).toBe("caf\u00e9");
  });
  test("control and zero-width characters go, tabs/nbsp become spaces, CRLF becomes LF", () => {
    expect(normalizeText("a\u0000b\u200Bc\td\u00A0e\r\nf\u0007")).toBe("abc d e\nf");
  });
  test("runs of spaces collapse, 3+ newlines become one blank line, trims", () => {
    expect(normalizeText("  a   b \n\n\n\n c  ")).toBe("a b\n\nc");
  });
  test("dedup key ignores case, punctuation and spacing", () => {
    expect(dedupKey("Hello,  World!")).toBe(dedupKey("hello world"));
  });
});
