import { inspect } from "util";
import { formatValue, registerFormatter } from "./format";
import { JUPYTER_DISPLAY } from "./types";

test("plain values get text/plain exactly as util.inspect (Node's REPL) prints them", () => {
  for (const v of [42, "hi", [1, 2, 3], { a: 1, b: "two" }, new Map([["k", 1]]), null]) {
    expect(formatValue(v)).toEqual({ data: { "text/plain": inspect(v) }, metadata: {} });
  }
});

test("an object's own Jupyter.display bundle wins over formatters, text/plain is kept", () => {
  registerFormatter((v) =>
    v && typeof v === "object" && "marked" in v
      ? { data: { "text/html": "<b>formatter</b>" }, metadata: {} }
      : undefined,
  );
  const own = { marked: true, [JUPYTER_DISPLAY]: () => ({ "text/html": "<i>own</i>" }) };
  expect(formatValue(own).data["text/html"]).toBe("<i>own</i>");
  expect(formatValue(own).data["text/plain"]).toBe(inspect(own));
  expect(formatValue({ marked: 1 }).data).toEqual({
    "text/html": "<b>formatter</b>",
    "text/plain": inspect({ marked: 1 }),
  });
});

test("the latest registered formatter is asked first", () => {
  registerFormatter((v) => (v === "x" ? { data: { "text/markdown": "first" }, metadata: {} } : undefined));
  registerFormatter((v) => (v === "x" ? { data: { "text/markdown": "second" }, metadata: {} } : undefined));
  expect(formatValue("x").data["text/markdown"]).toBe("second");
});

test("a Jupyter.display method that returns nonsense is a clear error", () => {
  expect(() => formatValue({ [JUPYTER_DISPLAY]: () => 3 })).toThrow(/returned number, expected a MIME bundle/);
});
