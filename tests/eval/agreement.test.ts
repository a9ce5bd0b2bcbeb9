import { cohenKappa, countsBySubject, fleissKappa } from "../../src/eval/agreement";
import { krippendorffAlpha } from "../../src/eval/krippendorff";

const fromTable = (t: number[][], cats: string[]): [string[], string[]] => {
  const a: string[] = [];
  const b: string[] = [];
  t.forEach((row, i) =>
    row.forEach((count, j) => {
      for (let c = 0; c < count; c++) {
        a.push(cats[i]);
        b.push(cats[j]);
      }
    }),
  );
  return [a, b];
};

describe("Cohen's kappa", () => {
  // Wikipedia, "Cohen's kappa", worked example: 50 grant proposals, both yes 20, both no 15,
  // A yes/B no 5, A no/B yes 10: p_o = 0.7, p_e = 0.5*0.6 + 0.5*0.4 = 0.5, kappa = 0.4.
  test("the grant-proposal example gives 0.4", () => {
    const [a, b] = fromTable(
      [
        [20, 5],
        [10, 15],
      ],
      ["yes", "no"],
    );
    expect(cohenKappa(a, b)).toBeCloseTo(0.4, 12);
  });

  // Wikipedia, "Same percentages but different numbers": both tables have p_o = 0.6;
  // p_e = 0.54 -> kappa 0.06/0.46 = 0.1304, p_e = 0.46 -> 0.14/0.54 = 0.2593.
  test("same p_o, different kappa", () => {
    expect(
      cohenKappa(
        ...fromTable(
          [
            [45, 15],
            [25, 15],
          ],
          ["y", "n"],
        ),
      ),
    ).toBeCloseTo(0.06 / 0.46, 12);
    expect(
      cohenKappa(
        ...fromTable(
          [
            [25, 35],
            [5, 35],
          ],
          ["y", "n"],
        ),
      ),
    ).toBeCloseTo(0.14 / 0.54, 12);
  });

  test("quadratic weights, worked by hand", () => {
    // a=[1,2,3,1,2], b=[1,3,3,2,2], w=((i-j)/2)^2: D_o = (0.25+0.25)/5 = 0.1,
    // D_e = sum w_ij a_i b_j = 0.04+0.16+0.02+0.04+0.04+0.02 = 0.32 -> 1 - 0.1/0.32 = 0.6875
    expect(cohenKappa([1, 2, 3, 1, 2], [1, 3, 3, 2, 2], { weights: "quadratic" })).toBeCloseTo(0.6875, 12);
    // linear: D_o = (0.5+0.5)/5 = 0.2, D_e = 0.08+0.16+0.04+0.08+0.04+0.04 = 0.44
    expect(cohenKappa([1, 2, 3, 1, 2], [1, 3, 3, 2, 2], { weights: "linear" })).toBeCloseTo(1 - 0.2 / 0.44, 12);
  });

  test("clear errors", () => {
    expect(() => cohenKappa([1, 2], [1])).toThrow(/2 and 1 items/);
    expect(() => cohenKappa([1, 1], [1, 1])).toThrow(/undefined/);
  });
});

describe("Fleiss' kappa", () => {
  // Fleiss (1971) as reworked on Wikipedia ("Fleiss' kappa", worked example): 10 subjects,
  // 14 raters, 5 categories. p_j = (20, 28, 39, 21, 32)/140; P-bar = 3.780/10 = 0.378,
  // P_e = 0.213, kappa = (0.378 - 0.213)/(1 - 0.213) = 0.210.
  const table = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
  ];
  test("the 10 x 14 x 5 example gives 0.210", () => {
    const pe = [20, 28, 39, 21, 32].reduce((s, x) => s + (x / 140) ** 2, 0);
    const pBar = table.reduce((s, r) => s + r.reduce((t, x) => t + x * (x - 1), 0) / (14 * 13), 0) / 10;
    expect(pBar).toBeCloseTo(0.378, 3);
    expect(pe).toBeCloseTo(0.213, 3);
    expect(fleissKappa(table)).toBeCloseTo((pBar - pe) / (1 - pe), 12);
    expect(fleissKappa(table)).toBeCloseTo(0.21, 3);
  });

  test("with two raters it is Scott's pi; counts built from ratings", () => {
    // two raters, 4 items, agreement on 2: pooled p = (4/8, 4/8) -> P_e = 0.5, P-bar = 0.5 -> 0
    const ratings = [
      ["i1", "x"],
      ["i1", "x"],
      ["i2", "y"],
      ["i2", "y"],
      ["i3", "x"],
      ["i3", "y"],
      ["i4", "y"],
      ["i4", "x"],
    ].map(([subject, label]) => ({ subject, label }));
    const { counts } = countsBySubject(ratings);
    expect(fleissKappa(counts)).toBeCloseTo((0.5 - 0.5) / 0.5, 12);
    // agreement on 3 of 4; pooled p = (5/8, 3/8) -> P_e = 34/64, P-bar = 0.75
    expect(
      fleissKappa([
        [2, 0],
        [0, 2],
        [1, 1],
        [2, 0],
      ]),
    ).toBeCloseTo((0.75 - 34 / 64) / (1 - 34 / 64), 12);
    expect(() =>
      fleissKappa([
        [2, 0],
        [1, 0],
      ]),
    ).toThrow(/subject 1 has 1 ratings, expected 2/);
  });
});

describe("Krippendorff's alpha", () => {
  // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example C: 4 observers,
  // 12 units, values 1-5, missing values. Published: nominal 0.743, ordinal 0.815,
  // interval 0.849, ratio 0.797. Our hand computation (unit 12 has one value, so n = 40;
  // n_c = 9, 13, 10, 5, 3):
  //   nominal:  D_o = (2 + 4 + 2)/40 = 0.2 (units 2, 6, 8), D_e = (40^2 - 384)/(40*39) = 1216/1560
  //             alpha = 1 - 0.2/(1216/1560) = 0.74342
  //   interval: D_o = (2 + 40/3 + 2)/40, D_e = 2*2240/1560 -> alpha = 0.84911
  //   ordinal:  D_o = (264.5 + 4153.5/3 + 242)/40, D_e = 2*199740/1560 -> alpha = 0.81541
  const _ = null;
  const data = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
    [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
  ];
  test("nominal: 0.743", () => {
    expect(krippendorffAlpha(data, "nominal")).toBeCloseTo(1 - 0.2 / (1216 / 1560), 12);
    expect(krippendorffAlpha(data, "nominal")).toBeCloseTo(0.743, 3);
  });
  test("interval: 0.849", () => {
    expect(krippendorffAlpha(data, "interval")).toBeCloseTo(1 - (4 + 40 / 3) / 40 / (4480 / 1560), 12);
    expect(krippendorffAlpha(data, "interval")).toBeCloseTo(0.849, 3);
  });
  test("ordinal: 0.815", () => {
    expect(krippendorffAlpha(data, "ordinal")).toBeCloseTo(1 - (264.5 + 4153.5 / 3 + 242) / 40 / (399480 / 1560), 12);
    expect(krippendorffAlpha(data, "ordinal")).toBeCloseTo(0.815, 3);
  });
  test("ratio: 0.797", () => {
    expect(krippendorffAlpha(data, "ratio")).toBeCloseTo(0.797, 3);
  });
  test("perfect agreement is 1; errors are clear", () => {
    expect(
      krippendorffAlpha(
        [
          [1, 2, 3],
          [1, 2, 3],
        ],
        "interval",
      ),
    ).toBe(1);
    expect(() => krippendorffAlpha([[1, 2]])).toThrow(/at least 2 raters/);
    expect(() =>
      krippendorffAlpha([
        [1, 1],
        [1, 1],
      ]),
    ).toThrow(/no variation/);
  });
});
