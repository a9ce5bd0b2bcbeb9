// The danfojs formatter against tables worked out by hand (pandas' layout).
import * as dfd from "danfojs-node";
import { builtinFormatters } from ".";
import { formatDataFrame, formatSeries } from "./danfo";

describe("danfo", () => {
  test("a small DataFrame: escaped HTML table and aligned text", () => {
    const df = new dfd.DataFrame({ a: [1, 2.5], b: ["x", "<y>"] });
    expect(formatDataFrame(df as never)).toEqual({
      data: {
        "text/html": [
          "<div>",
          '<table border="1" class="dataframe">',
          '<thead><tr style="text-align: right;"><th></th><th>a</th><th>b</th></tr></thead>',
          "<tbody>",
          "<tr><th>0</th><td>1</td><td>x</td></tr>",
          "<tr><th>1</th><td>2.5</td><td>&lt;y&gt;</td></tr>",
          "</tbody>",
          "</table>",
          "<p>2 rows × 2 columns</p>",
          "</div>",
        ].join("\n"),
        "text/plain": ["     a    b", "0    1    x", "1  2.5  <y>", "", "[2 rows × 2 columns]"].join("\n"),
      },
      metadata: {},
    });
  });

  test("a large DataFrame shows head and tail rows and says it is truncated", () => {
    const n = 1000;
    const df = new dfd.DataFrame({ i: [...Array(n).keys()] });
    const b = formatDataFrame(df as never, { maxRows: 6, head: 2, tail: 2, maxColumns: 20 });
    const rows = (b.data["text/plain"] as string).split("\n");
    expect(rows).toEqual([
      "       i",
      "0      0",
      "1      1",
      "…      …",
      "998  998",
      "999  999",
      "",
      "[1000 rows × 1 columns (truncated)]",
    ]);
    expect((b.data["text/html"] as string).match(/<tr>/g)).toHaveLength(5);
  });

  test("a Series, through the built-in formatter list", () => {
    const s = new dfd.Series([0.1, 0.25], { columns: ["p"] });
    const b = builtinFormatters.map((f) => f(s)).find(Boolean);
    expect(b?.data["text/plain"]).toBe(["      p", "0   0.1", "1  0.25", "", "[2 values, dtype float32]"].join("\n"));
    expect(formatSeries(s as never).data["text/html"]).toContain("<p>2 values, dtype float32</p>");
  });
});
