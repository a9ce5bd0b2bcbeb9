// Parameters as papermill does them, in TypeScript: injection, typing, rejection.
import { mkdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { runCommand } from "../../cli/commands/run";
import { runNotebook } from "../../kernel-ext/runner";
import { joinSource, readNotebook } from "../../kernel-ext/runner/nbformat";
import { declaredParameters, injectParameters, parseCliParams, toTsLiteral } from "../../kernel-ext/runner/params";
import { TS_KERNEL, codeCell, installTestKernels, notebook, writeTestNotebook } from "./kernels";

const PARAMS = [
  "const steps = 100; // full size: 5000",
  'const name: string = "small";',
  "const sizes = [1, 2];",
  "const opts = { lr: 0.1 };",
  "let verbose = false;",
].join("\n");

const course = () =>
  notebook(
    [
      { id: "intro", cell_type: "markdown", metadata: {}, source: "# A notebook" },
      codeCell(PARAMS, ["parameters"]),
      // No shorthand properties ({ steps }): tslab 1.0.22's converter leaves those unresolved across cells.
      codeCell(
        "console.log(JSON.stringify({ steps: steps, name: name, sizes: sizes, opts: opts, verbose: verbose, next: steps + 1 }));",
      ),
    ],
    TS_KERNEL,
  );

test("the parameters cell's declarations are read with their keyword, type and kind", () => {
  expect(declaredParameters(PARAMS).map((p) => [p.name, p.keyword, p.type, p.kind])).toEqual([
    ["steps", "const", undefined, "number"],
    ["name", "const", "string", "string"],
    ["sizes", "const", undefined, "array"],
    ["opts", "const", undefined, "object"],
    ["verbose", "let", undefined, "boolean"],
  ]);
});

test("values become typed TypeScript literals in a cell tagged injected-parameters right after the parameters cell", () => {
  const nb = injectParameters(course(), {
    steps: 7,
    name: 'big "one"',
    sizes: [3],
    opts: { lr: 0.5, "a-b": null },
    verbose: true,
  });
  expect(nb.cells.map((c) => c.metadata.tags ?? [])).toEqual([[], ["parameters"], ["injected-parameters"], []]);
  expect(joinSource(nb.cells[2].source)).toBe(
    [
      "// Parameters injected by `llmlab run`",
      "const steps: number = 7;",
      'const name: string = "big \\"one\\"";',
      "const sizes = [3];",
      'const opts = { lr: 0.5, "a-b": null };',
      "let verbose: boolean = true;",
    ].join("\n"),
  );
  // Running again replaces the injected cell instead of stacking another.
  const again = injectParameters(nb, { steps: 8 });
  expect(again.cells.filter((c) => (c.metadata.tags ?? []).includes("injected-parameters"))).toHaveLength(1);
  expect(joinSource(again.cells[2].source)).toContain("const steps: number = 8;");
});

test("an unknown parameter is rejected with the list of declared ones", () => {
  expect(() => injectParameters(course(), { stepz: 3 }, "course.ipynb")).toThrow(
    "course.ipynb: unknown parameter stepz; the parameters cell declares: steps, name, sizes, opts, verbose",
  );
});

test("a value of the wrong kind is rejected naming the parameter and its default", () => {
  expect(() => injectParameters(course(), { steps: "many" })).toThrow(
    'parameter steps: expected a number like its default 100, got "many"',
  );
});

test("parameters given to a notebook without a parameters cell are an error", () => {
  const nb = notebook([codeCell("1")]);
  expect(() => injectParameters(nb, { a: 1 }, "x.ipynb")).toThrow(
    'x.ipynb: parameters given (a) but no code cell is tagged "parameters"',
  );
});

test("-p values parse as JSON, except that string parameters take the raw text", () => {
  expect(parseCliParams(["steps=12", "name=123", "sizes=[4,5]", "verbose=true", 'opts={"lr":1}'], course())).toEqual({
    steps: 12,
    name: "123",
    sizes: [4, 5],
    verbose: true,
    opts: { lr: 1 },
  });
  expect(() => parseCliParams(["steps"], course())).toThrow("-p steps: expected name=value");
});

test("literals round-trip through JavaScript's own parser", () => {
  const values = [0, -1.5e-7, "a\nb\u2028'\"", true, null, [1, [2]], { x: 1, "y z": ["q"] }];
  for (const v of values) expect(new Function(`return (${toTsLiteral(v)});`)()).toEqual(v);
  expect(() => toTsLiteral({ f: () => 1 }, "opts")).toThrow("opts.f: cannot write a function as a TypeScript literal");
});

describe(`through the ${TS_KERNEL} kernel`, () => {
  const kernels = installTestKernels();
  afterAll(() => kernels.cleanup());

  test("later cells see the injected values (re-declared consts shadow the defaults)", async () => {
    const path = writeTestNotebook(kernels.dir, "params.ipynb", course());
    const r = await runNotebook(path, {
      env: kernels.env,
      params: { steps: 7, name: "big", sizes: [3], opts: { lr: 0.5 }, verbose: true },
    });
    expect(r.status).toBe("ok");
    expect(r.cells.map((c) => c.status)).toEqual(["ok", "ok", "ok"]);
    const out = r.notebook.cells[3].cell_type === "code" ? r.notebook.cells[3].outputs : [];
    const stdout = out.map((o) => (o.output_type === "stream" ? joinSource(o.text) : "")).join("");
    expect(JSON.parse(stdout.trim().split("\n")[0])).toEqual({
      steps: 7,
      name: "big",
      sizes: [3],
      opts: { lr: 0.5 },
      verbose: true,
      next: 8,
    });

    // Values given without a params file: custom parameters, recorded for the book.
    expect(r.size).toEqual({
      kind: "custom",
      parameters: { steps: 7, name: "big", sizes: [3], opts: { lr: 0.5 }, verbose: true },
    });
    expect(r.notebook.metadata.llmlab).toEqual({ size: r.size });
  });

  test("a run with no parameters is recorded as CI size", async () => {
    const path = writeTestNotebook(kernels.dir, "defaults.ipynb", course());
    const r = await runNotebook(path, { env: kernels.env });
    expect(r.size).toEqual({ kind: "ci", parameters: {} });
    expect(r.notebook.metadata.llmlab).toEqual({ size: { kind: "ci", parameters: {} } });
  });
});

describe(`llmlab run with parameters, through the ${TS_KERNEL} kernel`, () => {
  const kernels = installTestKernels();
  afterAll(() => kernels.cleanup());

  test("--params-file and -p (which wins) are injected; --inplace rewrites the notebook", async () => {
    const path = writeTestNotebook(kernels.dir, "inplace.ipynb", course());
    const file = join(kernels.dir, "params.json");
    writeFileSync(file, JSON.stringify({ steps: 5, name: "from-file" }));
    let stdout = "";
    const prev = process.env.JUPYTER_PATH;
    process.env.JUPYTER_PATH = kernels.env.JUPYTER_PATH;
    try {
      const rc = await runCommand(
        [path],
        { inplace: true, paramsFile: file, param: ["name=from-cli"] },
        { out: (s) => (stdout += s), err: () => {} },
      );
      expect(rc).toBe(0);
    } finally {
      process.env.JUPYTER_PATH = prev;
    }
    expect(stdout).toMatch(/inplace\.ipynb\s+ok/);
    const nb = readNotebook(path);
    expect(joinSource(nb.cells[2].source)).toBe(
      ["// Parameters injected by `llmlab run`", "const steps: number = 5;", 'const name: string = "from-cli";'].join(
        "\n",
      ),
    );
    const out = nb.cells[3].cell_type === "code" ? nb.cells[3].outputs : [];
    expect(out[0]).toMatchObject({ output_type: "stream", name: "stdout" });
    expect(JSON.parse(joinSource((out[0] as { text: string }).text).split("\n")[0])).toMatchObject({
      steps: 5,
      name: "from-cli",
      next: 6,
    });

    // A params file changed by -p (and not in a full-size folder) is custom, and says where it came from.
    expect(nb.metadata.llmlab).toEqual({
      size: { kind: "custom", parameters: { steps: 5, name: "from-cli" }, paramsFile: file },
    });
  });

  test("exactly a full-size/ params file is recorded as full size, in the notebook and the report", async () => {
    const path = writeTestNotebook(kernels.dir, "full.ipynb", course());
    const dir = join(kernels.dir, "full-size");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "full.json");
    writeFileSync(file, JSON.stringify({ steps: 5000 }));
    const out = join(kernels.dir, "full-out");
    const report = join(out, "report.json");
    const prev = process.env.JUPYTER_PATH;
    process.env.JUPYTER_PATH = kernels.env.JUPYTER_PATH;
    try {
      expect(await runCommand([path], { out, paramsFile: file, json: report }, { out: () => {}, err: () => {} })).toBe(
        0,
      );
    } finally {
      process.env.JUPYTER_PATH = prev;
    }
    const size = { kind: "full", parameters: { steps: 5000 }, paramsFile: file };
    expect(readNotebook(join(out, "full.ipynb")).metadata.llmlab).toEqual({ size });
    expect(JSON.parse(readFileSync(report, "utf8")).notebooks[0].size).toEqual(size);
  });

  test("an unknown -p name fails that notebook before any kernel starts", async () => {
    const path = writeTestNotebook(kernels.dir, "unknown.ipynb", course());
    let stderr = "";
    const rc = await runCommand(
      [path],
      { out: join(kernels.dir, "o"), param: ["stepz=3"] },
      { out: () => {}, err: (s) => (stderr += s) },
    );
    expect(rc).toBe(1);
    expect(stderr).toContain(
      "unknown.ipynb: unknown parameter stepz; the parameters cell declares: steps, name, sizes, opts, verbose",
    );
  });
});
