// The shape rules of notebooks 08-10 (BRIEF "Notebooks"): they cannot be executed here (the
// kernel is built elsewhere), but their structure can be checked.
import * as fs from "fs";
import * as path from "path";

const root = path.join(__dirname, "..", "..");
const NOTEBOOKS = ["08-synthetic-data", "09-evaluation", "10-best-practices"];

interface Cell {
  cell_type: string;
  id?: string;
  metadata: { tags?: string[] };
  source: string[];
  outputs?: unknown[];
  execution_count?: number | null;
}

describe.each(NOTEBOOKS)("notebooks/%s.ipynb", (name) => {
  const nb = JSON.parse(fs.readFileSync(path.join(root, "notebooks", `${name}.ipynb`), "utf8")) as {
    nbformat: number;
    nbformat_minor: number;
    metadata: Record<string, unknown>;
    cells: Cell[];
  };
  const code = nb.cells.filter((c) => c.cell_type === "code");
  const text = (c: Cell): string => c.source.join("");

  it("is nbformat 4.5 with the llmlab kernelspec, every cell has a unique id, outputs cleared", () => {
    expect([nb.nbformat, nb.nbformat_minor]).toEqual([4, 5]);
    expect(nb.metadata.kernelspec).toEqual({
      name: "llmlab",
      display_name: "TypeScript (llmlab)",
      language: "typescript",
    });
    expect(nb.metadata.language_info).toEqual({ name: "typescript", file_extension: ".ts" });
    const ids = nb.cells.map((c) => c.id);
    ids.forEach((id) => expect(id).toMatch(/^[A-Za-z0-9-_]{1,64}$/));
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of code) {
      expect(c.outputs).toEqual([]);
      expect(c.execution_count).toBeNull();
    }
  });

  it("starts with a parameters cell of consts, each with a full-size comment", () => {
    expect(code[0].metadata.tags).toEqual(["parameters"]);
    const lines = text(code[0])
      .split("\n")
      .filter((l) => l.trim());
    // A type annotation is allowed where the literal alone would type it too narrowly (`string[]` for []).
    for (const l of lines) {
      expect(l).toMatch(/^const \w+(: [\w[\]]+)? = .+;\s*\/\/ /);
    }
    expect(lines.filter((l) => /full size/.test(l)).length).toBeGreaterThanOrEqual(lines.length - 3); // seed, file and mode switches have no "full size"
  });

  it("publishes its metrics, imports nothing from the repository, and has at least two exercises", () => {
    expect(code.some((c) => /publish\(/.test(text(c)))).toBe(true);
    for (const c of code) expect(text(c)).not.toMatch(/from "\.\.?\//);
    const md = nb.cells
      .filter((c) => c.cell_type === "markdown")
      .map(text)
      .join("\n");
    const exercises = md.split("## Exercises")[1] ?? "";
    expect((exercises.match(/^\d+\. /gm) ?? []).length).toBeGreaterThanOrEqual(2);
    expect(code.filter((c) => /^\/\/ Exercise/.test(text(c))).length).toBeGreaterThanOrEqual(2);
  });
});

it("notebook 08 publishes the leak and canary metrics, 09 perplexity and agreement, 10 bias and diversity", () => {
  const src = (n: string): string => fs.readFileSync(path.join(root, "notebooks", `${n}.ipynb`), "utf8");
  for (const k of ["plantedLeaks", "leaksFound", "canaryExposure"]) expect(src("08-synthetic-data")).toContain(k);
  for (const k of ["perplexity", "cohenKappa", "fleissKappa", "krippendorffAlpha", "winRate"])
    expect(src("09-evaluation")).toContain(k);
  for (const k of ["biasScore", "diversityValLoss"]) expect(src("10-best-practices")).toContain(k);
});
