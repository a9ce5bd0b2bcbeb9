import { describeSize, runSize, sizeOfNotebook } from "./size";

describe("runSize", () => {
  const file = { iters: 2000, configName: "baby" };
  test("no parameters is CI size", () => {
    expect(runSize({})).toEqual({ kind: "ci", parameters: {} });
  });
  test("exactly the values of a full-size/ params file is full size", () => {
    expect(runSize({ ...file }, "notebooks/full-size/05-pretraining.json", file).kind).toBe("full");
  });
  test("a full-size file with one value changed or added on the command line is custom", () => {
    expect(runSize({ ...file, iters: 10 }, "notebooks/full-size/05-pretraining.json", file).kind).toBe("custom");
    expect(runSize({ ...file, seed: 1 }, "notebooks/full-size/05-pretraining.json", file).kind).toBe("custom");
  });
  test("a params file outside a full-size folder is custom", () => {
    expect(runSize({ ...file }, "mine/05.json", file).kind).toBe("custom");
  });
});

describe("describeSize", () => {
  test("names the size and the values", () => {
    expect(describeSize({ kind: "ci", parameters: {} })).toMatch(/^CI size/);
    expect(describeSize(runSize({ iters: 2000 }, "notebooks/full-size/05.json", { iters: 2000 }))).toBe(
      "Full size: the parameters of 05.json (iters=2000).",
    );
    expect(describeSize(runSize({ iters: 7 }))).toBe("Custom parameters: iters=7.");
  });
});

describe("sizeOfNotebook", () => {
  const code = (tags: string[] = [], executed = true) => ({
    cell_type: "code",
    execution_count: executed ? 1 : null,
    metadata: { tags },
  });
  test("reads the runner's record", () => {
    const size = runSize({ iters: 7 });
    expect(sizeOfNotebook({ metadata: { llmlab: { size } }, cells: [code()] })).toEqual(size);
  });
  test("without a record: injected parameters mean custom, none mean CI, unexecuted means unknown", () => {
    expect(sizeOfNotebook({ metadata: {}, cells: [code(["parameters"]), code(["injected-parameters"])] })?.kind).toBe(
      "custom",
    );
    expect(sizeOfNotebook({ metadata: {}, cells: [code(["parameters"]), code()] })?.kind).toBe("ci");
    expect(sizeOfNotebook({ metadata: {}, cells: [code([], false)] })).toBeUndefined();
  });
});
