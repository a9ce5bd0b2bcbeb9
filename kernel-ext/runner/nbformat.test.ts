// Our notebook writer against Jupyter's own (Debian's python3-nbformat): same bytes.
import { execFileSync } from "child_process";
import type { Notebook } from "./nbformat";
import { serializeNotebook, splitLines } from "./nbformat";
import { NBFORMAT, systemPackages } from "../../tests/helpers/system";

const NB: Notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {
    kernelspec: { name: "llmlab", display_name: "TypeScript (llmlab)", language: "typescript" },
    zeta: 1,
    alpha: "é ✓",
  },
  cells: [
    { id: "m1", cell_type: "markdown", metadata: { trusted: true }, source: "# Title\n\nline\r\nlast" },
    {
      id: "c1",
      cell_type: "code",
      metadata: { tags: ["parameters"] },
      source: "const a = 1;\n",
      execution_count: 2,
      outputs: [
        { output_type: "stream", name: "stdout", text: "a\nb\rc\n\n" },
        {
          output_type: "display_data",
          data: {
            "text/html": "<b>x</b>\n<i>y</i>",
            "application/vnd.plotly.v1+json": { data: [{ x: [1, 2.5] }], layout: {} },
            "image/svg+xml": "<svg>\n</svg>",
            "image/png": "iVBOR\nw0",
          },
          metadata: {},
        },
        { output_type: "execute_result", execution_count: 2, data: { "text/plain": "1" }, metadata: {} },
        {
          output_type: "error",
          ename: "Error",
          evalue: "boom",
          traceback: ["\u001b[31mError\u001b[0m: boom", "  at <cell>:1"],
        },
      ],
    },
    { id: "c2", cell_type: "code", metadata: {}, source: "", execution_count: null, outputs: [] },
  ],
};

test("splitLines matches Python's str.splitlines(keepends=True)", () => {
  expect(splitLines("a\nb\r\nc\rd\u2028e\x0bf\x0c")).toEqual(["a\n", "b\r\n", "c\r", "d\u2028", "e\x0b", "f\x0c"]);
  expect(splitLines("")).toEqual([]);
  expect(splitLines("no newline")).toEqual(["no newline"]);
  expect(splitLines("\n\n")).toEqual(["\n", "\n"]);
});

(systemPackages(__filename, NBFORMAT) ? test : test.skip)("serializeNotebook writes what nbformat.write writes", () => {
  const ours = serializeNotebook(NB);
  const py = [
    "import sys, nbformat",
    "nb = nbformat.reads(sys.stdin.read(), as_version=4)",
    "sys.stdout.write(nbformat.writes(nb) + '\\n')", // nbformat.write adds the final newline
  ].join("\n");
  const jupyters = execFileSync("/usr/bin/python3", ["-c", py], { input: JSON.stringify(NB), encoding: "utf8" });
  expect(ours).toBe(jupyters);
});
