import { baseLayout, Figure } from "./types";

export interface LineOptions {
  title?: string;
  x?: string;
  y?: string;
  mode?: "lines" | "markers" | "lines+markers";
}

/** One line per series: name -> {x, y}. */
export function line(series: Record<string, { x: (number | string)[]; y: number[] }>, opts: LineOptions = {}): Figure {
  for (const [name, s] of Object.entries(series))
    if (s.x.length !== s.y.length)
      throw new Error(`line: series "${name}" has ${s.x.length} x values but ${s.y.length} y values`);
  const data = Object.entries(series).map(([name, s]) => ({
    type: "scatter",
    mode: opts.mode ?? "lines",
    name,
    x: s.x,
    y: s.y,
  }));
  return { data, layout: { ...baseLayout(opts.title, opts.x, opts.y), showlegend: data.length > 1 } };
}
