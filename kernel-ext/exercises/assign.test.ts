// Protected cells: fingerprints in the student version; edited and deleted ones restored from the
// release, the learner's answers and added cells kept in place.
import type { Cell, Notebook } from "../book/notebook";
import { fingerprint, restoreProtected, studentVersion } from "./assign";

const cell = (id: string, source: string, exercise?: string): Cell => ({
  id,
  cell_type: "code",
  source,
  metadata: exercise ? { exercise } : {},
  outputs: [{ output_type: "stream", name: "stdout", text: "x" }],
  execution_count: 3,
});
const md = (id: string, source: string): Cell => ({ id, cell_type: "markdown", source, metadata: {} });
const nb = (cells: Cell[]): Notebook => ({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 });
const release = nb([
  md("intro", "# Hi"),
  cell("params", "const N = 3;"),
  cell("setup", "const data = [1, 2];"),
  cell("a1", "// TODO", "03.1"),
  md("after", "Done."),
]);

describe("studentVersion", () => {
  it("clears outputs and fingerprints every cell but the answer cells", () => {
    const s = studentVersion(release, "r.ipynb");
    expect(
      s.cells.every((c) => c.cell_type !== "code" || (c.outputs!.length === 0 && c.execution_count === null)),
    ).toBe(true);
    expect(Object.keys((s.metadata.llmlab as { protected: object }).protected)).toEqual([
      "intro",
      "params",
      "setup",
      "after",
    ]);
    expect((s.metadata.llmlab as { protected: Record<string, string> }).protected.setup).toBe(
      fingerprint(release.cells[2]),
    );
  });
  it("refuses a release whose answer cell holds the solution", () => {
    expect(() => studentVersion(release, "r.ipynb", { "03.1": "// TODO" })).toThrow(/03\.1 holds its solution/);
  });
});

describe("restoreProtected", () => {
  it("leaves an untouched submission alone", () => {
    const r = restoreProtected(release, release);
    expect(r.restored).toEqual([]);
    expect(r.notebook.cells.map((c) => c.id)).toEqual(["intro", "params", "setup", "a1", "after"]);
  });
  it("restores edited and deleted protected cells, keeps answers and added cells in place", () => {
    const [intro, , , , after] = release.cells;
    const sub = nb([
      intro,
      cell("params", "const N = 1e9;"), // edited
      cell("mine", "const helper = 1;"), // added, and setup deleted
      cell("a1", "my answer", "03.1"), // answered
      after,
    ]);
    const r = restoreProtected(release, sub);
    expect(r.restored).toEqual(["params", "setup"]);
    expect(r.notebook.cells.map((c) => [c.id, c.source])).toEqual([
      ["intro", "# Hi"],
      ["params", "const N = 3;"],
      ["mine", "const helper = 1;"], // after the cell it followed (params)
      ["setup", "const data = [1, 2];"],
      ["a1", "my answer"],
      ["after", "Done."],
    ]);
  });
  it("puts back a deleted answer cell as the release's placeholder", () => {
    const r = restoreProtected(release, nb(release.cells.filter((c) => c.id !== "a1")));
    expect(r.notebook.cells.find((c) => c.id === "a1")?.source).toBe("// TODO");
    expect(r.restored).toEqual([]);
  });
});
