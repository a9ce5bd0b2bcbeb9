import { bar, heatmap, line } from "./index";

describe("viz figure specs", () => {
  test("bar: one series keeps label order; several series stack", () => {
    expect(bar({ a: 1, b: 2 }).data).toEqual([{ type: "bar", name: "", x: ["a", "b"], y: [1, 2] }]);
    const f = bar({ ham: { x: 1 }, spam: { x: 2 } }, { stacked: true, title: "t" });
    expect(f.data.map((t) => t.name)).toEqual(["ham", "spam"]);
    expect(f.layout).toMatchObject({ barmode: "stack", title: { text: "t" }, showlegend: true });
  });
  test("line and heatmap check their shapes", () => {
    expect(line({ s: { x: [1, 2], y: [3, 4] } }).data[0]).toMatchObject({ type: "scatter", x: [1, 2], y: [3, 4] });
    expect(() => line({ s: { x: [1], y: [1, 2] } })).toThrow(/series "s" has 1 x values but 2 y values/);
    expect(heatmap([[1, 2]], ["a", "b"], ["r"]).data[0]).toMatchObject({ type: "heatmap", z: [[1, 2]] });
    expect(() => heatmap([[1]], ["a", "b"], ["r"])).toThrow(/must be 1 rows of 2 values/);
  });
});
