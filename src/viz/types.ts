// Plotly figure specs as plain data: the kernel renders any {data: [...traces], layout}.
export type Trace = Record<string, unknown> & { type: string };
export interface Figure {
  data: Trace[];
  layout: Record<string, unknown>;
}

export function baseLayout(title?: string, x?: string, y?: string): Record<string, unknown> {
  return {
    ...(title ? { title: { text: title } } : {}),
    ...(x ? { xaxis: { title: { text: x } } } : {}),
    ...(y ? { yaxis: { title: { text: y } } } : {}),
    margin: { t: title ? 50 : 20, r: 20, b: 60, l: 60 },
  };
}
