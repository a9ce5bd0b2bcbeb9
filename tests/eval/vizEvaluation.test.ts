// Chart helpers of notebooks 08-10: the specs carry the numbers they are given, in the right places.
import {
  intervalBars,
  exposureFigure,
  groupedBars,
  throughputFigure,
  lossMatrixFigure,
} from "../../src/viz/evaluation";

it("intervalBars: error bars are the distances to the interval ends", () => {
  const f = intervalBars({ a: { estimate: 10, low: 8, high: 13 } });
  expect(f.data[0]).toMatchObject({ type: "bar", x: ["a"], y: [10], error_y: { array: [3], arrayminus: [2] } });
});

it("exposureFigure: the ceiling is log2 |R|", () => {
  const f = exposureFigure(9, 3, 1024);
  expect(f.data[0].y).toEqual([9, 3]);
  expect(f.data[1].y).toEqual([10, 10]);
});

it("groupedBars: one trace per series, missing values as null", () => {
  const f = groupedBars({ g1: { s1: 1, s2: 2 }, g2: { s1: 3 } });
  expect(f.data.map((t) => [t.name, t.y])).toEqual([
    ["s1", [1, 3]],
    ["s2", [2, null]],
  ]);
});

it("throughputFigure: three stacked phases on the second axis and the tokens/s line", () => {
  const f = throughputFigure([{ batchSize: 2, tokensPerSec: 100, forwardMs: 1, backwardMs: 2, optimizerMs: 3 }]);
  expect(f.data.map((t) => t.y)).toEqual([[1], [2], [3], [100]]);
  expect(f.data.slice(0, 3).every((t) => t.yaxis === "y2")).toBe(true);
});

it("lossMatrixFigure: rows are trained-on, columns evaluated-on", () => {
  const f = lossMatrixFigure({ a: { a: 1, b: 2 }, mix: { a: 1.5, b: 1.6 } });
  expect(f.data[0]).toMatchObject({
    z: [
      [1, 2],
      [1.5, 1.6],
    ],
    x: ["a", "b"],
    y: ["a", "mix"],
  });
});
