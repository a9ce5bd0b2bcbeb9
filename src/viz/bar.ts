import { baseLayout, Figure } from "./types";

export interface BarOptions {
  title?: string;
  x?: string;
  y?: string;
  horizontal?: boolean;
  stacked?: boolean;
}

/** Bar chart of one series (`values`: label -> number) or several (`series`: name -> label -> number). */
export function bar(
  values: Record<string, number> | Record<string, Record<string, number>>,
  opts: BarOptions = {},
): Figure {
  const first = Object.values(values)[0];
  const series: Record<string, Record<string, number>> = typeof first === "object" && first !== null
    ? (values as Record<string, Record<string, number>>)
    : { "": values as Record<string, number> };
  const data = Object.entries(series).map(([name, v]) => {
    const labels = Object.keys(v),
      nums = Object.values(v);
    return {
      type: "bar",
      name,
      ...(opts.horizontal ? { y: labels, x: nums, orientation: "h" } : { x: labels, y: nums }),
    };
  });
  return {
    data,
    layout: {
      ...baseLayout(opts.title, opts.x, opts.y),
      ...(opts.stacked ? { barmode: "stack" } : {}),
      showlegend: data.length > 1,
    },
  };
}
