// Plot how a tokenizer measure changes with vocabulary size (notebook 03): x = vocab size on a
// log2 axis, one or two measures (the second on a right-hand axis). Returns a plotly figure spec.

export interface VocabSizePoint {
  vocabSize: number;
}

export interface VocabSizeFigure {
  data: Array<Record<string, unknown>>;
  layout: Record<string, unknown>;
}

/** rows: one per vocabulary size; measures: which numeric fields of the rows to plot. */
export function vocabSizeFigure<T extends VocabSizePoint>(
  rows: readonly T[],
  measures: Array<{ key: keyof T & string; label: string }>,
  title?: string,
): VocabSizeFigure {
  if (measures.length < 1 || measures.length > 2)
    throw new Error(`vocabSizeFigure: expected 1 or 2 measures, got ${measures.length}`);
  for (const m of measures)
    for (const r of rows)
      if (typeof r[m.key] !== "number")
        throw new Error(`vocabSizeFigure: row with vocabSize ${r.vocabSize} has no number "${m.key}"`);
  const x = rows.map((r) => r.vocabSize);
  const data = measures.map((m, i) => ({
    type: "scatter",
    mode: "lines+markers",
    name: m.label,
    x,
    y: rows.map((r) => r[m.key]),
    ...(i === 1 ? { yaxis: "y2" } : {}),
  }));
  const layout: Record<string, unknown> = {
    ...(title ? { title: { text: title } } : {}),
    xaxis: { title: { text: "vocabulary size" }, type: "log", tickvals: x, ticktext: x.map(String) },
    yaxis: { title: { text: measures[0].label } },
    margin: { t: title ? 50 : 20, r: 70, b: 60, l: 70 },
    legend: { orientation: "h", y: -0.25 },
  };
  if (measures.length === 2) layout.yaxis2 = { title: { text: measures[1].label }, overlaying: "y", side: "right" };
  return { data, layout };
}
