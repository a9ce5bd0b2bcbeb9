// lint: a clean notebook passes; each broken rule is named. Schema verdicts are checked
// against Jupyter's own validator (Debian's python3-nbformat).
import { execFileSync } from "child_process";
import { NBFORMAT, systemPackages } from "../../tests/helpers/system";
import { Problem, lintNotebook } from "./lint";

/** The cross-checks against Jupyter's validator need python3-nbformat; our own checks run regardless. */
const withJupyter = systemPackages(__filename, NBFORMAT);

const clean = () => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {
    kernelspec: { name: "llmlab", display_name: "TypeScript (llmlab)", language: "typescript" },
    language_info: { name: "typescript", file_extension: ".ts" },
  },
  cells: [
    {
      id: "intro",
      cell_type: "markdown",
      metadata: {},
      source: ["# Hi\n", "See https://example.org/a/b and ../shared/x.txt"],
    },
    {
      id: "params",
      cell_type: "code",
      metadata: { tags: ["parameters"] },
      source: "// full size: 5000\nconst steps = 100;\nconst lr = 3e-4; // full size: 1e-4\n",
      execution_count: null,
      outputs: [],
    },
    {
      id: "work",
      cell_type: "code",
      metadata: {},
      source: 'const p = "datasets/tiny.txt";',
      execution_count: null,
      outputs: [],
    },
  ] as Record<string, unknown>[],
});

const rules = (p: Problem[]) => p.map((x) => x.rule);

/** Jupyter's own 4.5 schema validator on the same document (nbformat.validate would repair missing ids first). */
function jupyterValid(nb: unknown): boolean {
  const py =
    "import sys, json\nfrom nbformat.validator import get_validator\nv = get_validator(version=4, version_minor=5)\nprint('invalid' if list(v.iter_errors(json.load(sys.stdin))) else 'valid')";
  return (
    execFileSync("/usr/bin/python3", ["-c", py], { input: JSON.stringify(nb), encoding: "utf8" }).trim() === "valid"
  );
}

test("a notebook following every rule has no problems", () => {
  expect(lintNotebook(clean())).toEqual([]);
  if (withJupyter) expect(jupyterValid(clean())).toBe(true);
});

test("schema violations agree with Jupyter's validator and point at the cell", () => {
  const noId = clean();
  delete noId.cells[2].id;
  const badOutput = clean();
  badOutput.cells[2].outputs = [{ output_type: "stream", text: "x" }]; // stream needs a name
  const badId = clean();
  badId.cells[0].id = "has space";
  for (const nb of [noId, badOutput, badId]) {
    const problems = lintNotebook(nb);
    expect(rules(problems)).toContain("schema");
    expect(problems[0].cell).toBe(nb === badId ? 0 : 2);
    if (withJupyter) expect(jupyterValid(nb)).toBe(false);
  }
});

test("outputs left in, repeated ids, another kernelspec, a newer minor version", () => {
  const nb = clean();
  nb.cells[2].outputs = [{ output_type: "stream", name: "stdout", text: "x" }];
  nb.cells[2].execution_count = 3;
  nb.cells[1].id = "intro";
  nb.metadata.kernelspec.name = "tslab";
  nb.nbformat_minor = 6; // schema-valid, but the course is 4.5
  const problems = lintNotebook(nb);
  expect(problems.map((p) => [p.rule, p.cell])).toEqual(
    expect.arrayContaining([
      ["version", undefined],
      ["ids", 1],
      ["outputs", 2],
      ["kernelspec", undefined],
    ]),
  );
  expect(problems.find((p) => p.rule === "kernelspec")?.message).toBe(
    'metadata.kernelspec.name must be "llmlab", got "tslab"',
  );
});

test("the first code cell must be the parameters cell: tagged, const only, each commented", () => {
  const untagged = clean();
  untagged.cells[1].metadata = {};
  expect(lintNotebook(untagged)).toEqual([
    { rule: "parameters", cell: 1, message: 'the first code cell (cell 2) must be tagged "parameters"' },
  ]);

  const sloppy = clean();
  sloppy.cells[1].source = "// ok: 1\nconst a = 1;\nlet b = 2; // not const\nconst c = 3;\n";
  expect(lintNotebook(sloppy).map((p) => p.message)).toEqual([
    "parameters cell line 3: only const declarations belong here",
    "parameters cell line 4: c needs a comment giving the full-size value",
  ]);
});

test("absolute paths are found in code and prose, URLs and relative paths are not", () => {
  const nb = clean();
  nb.cells[2].source = 'const p = "/work/shared/datasets/x.txt";';
  nb.cells[0].source = "Data lives in C:\\Users\\me\\data.";
  const problems = lintNotebook(nb).filter((p) => p.rule === "paths");
  expect(problems.map((p) => [p.cell, p.message])).toEqual([
    [0, "absolute path C:\\Users\\me\\data.: use a path relative to the notebook or the repository"],
    [2, "absolute path /work/shared/datasets/x.txt: use a path relative to the notebook or the repository"],
  ]);
  const literal = clean();
  literal.cells[2].source = "readFileSync('/etc/hosts')";
  expect(rules(lintNotebook(literal))).toEqual(["paths"]);
});
