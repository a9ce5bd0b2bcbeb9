// The plotly formatter against bundles worked out by hand.
import { PLOTLY_MIME, createPlotlyFormatter, isPlotlyFigure } from "./plotly";

describe("plotly", () => {
  const fig = {
    data: [{ x: [1, 2], y: [3, 4], type: "bar", name: "</script><b>" }],
    layout: { title: { text: "Loss" } },
  };

  test("a figure becomes the plotly MIME bundle, HTML and a text summary", () => {
    const format = createPlotlyFormatter(() => "<script>LIB</script>");
    const b = format(fig);
    expect(b?.data[PLOTLY_MIME]).toEqual({ data: fig.data, layout: fig.layout, config: {} });
    expect(b?.data["text/plain"]).toBe('Plotly figure "Loss": 1 trace (bar)');
    const html = b?.data["text/html"] as string;
    expect(html).toMatch(
      /^<script>LIB<\/script>\n<div id="llmlab-plot-[0-9a-f-]+" class="plotly-graph-div" style="height:450px; width:100%;"><\/div>/,
    );
    // Data cannot close the script element it sits in.
    expect(html).toContain('"name":"\\u003c/script>\\u003cb>"');
    expect(html).toContain("window.Plotly.newPlot(gd, [{");
  });

  test("plotly.js goes into the first figure of a session only", () => {
    const format = createPlotlyFormatter(() => "<script>LIB</script>");
    const first = format(fig)?.data["text/html"] as string;
    const second = format({ data: [] })?.data["text/html"] as string;
    expect(first.startsWith("<script>LIB</script>")).toBe(true);
    expect(second).not.toContain("LIB");
    expect(second).toContain("if (!window.Plotly)");
    expect(format({ data: [] })?.data["text/plain"]).toBe("Plotly figure: 0 traces");
  });

  test("the embedded library is the installed plotly.js, offline, defined once per page", () => {
    const html = createPlotlyFormatter()(fig)?.data["text/html"] as string;
    expect(html.length).toBeGreaterThan(3_000_000);
    expect(html).toContain("plotly.js v4.1.2");
    expect(html.startsWith('<script type="text/javascript">if (!window.Plotly) {')).toBe(true);
    expect(html).not.toMatch(/<script[^>]*\ssrc=/); // nothing fetched from a CDN
    expect(html.match(/<\/script>/g)).toHaveLength(2); // the library's and the figure's
  });

  test("only plain objects with an array of trace objects are figures", () => {
    expect(isPlotlyFigure({ data: [{ y: [1] }] })).toBe(true);
    for (const v of [
      { data: [1, 2] },
      { data: "x" },
      [{ data: [] }],
      { data: [{}], layout: 3 },
      null,
      new (class F {
        data = [{}];
      })(),
    ]) {
      expect(isPlotlyFigure(v)).toBe(false);
    }
  });
});
