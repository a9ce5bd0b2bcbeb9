// The formatters the kernel tries, in order, for display() and execute_result values.
// Specific shapes first: a plotly figure is any object with a `data` array of traces.
import type { Formatter } from "../types";
import { danfoFormatter } from "./danfo";
import { plotlyFormatter } from "./plotly";
import { tensorFormatter } from "./tensor";

export const builtinFormatters: Formatter[] = [danfoFormatter, tensorFormatter, plotlyFormatter];

export { danfoFormatter, tensorFormatter, plotlyFormatter };
export { createPlotlyFormatter, isPlotlyFigure, plotlyBundle, plotlyLibraryScript, PLOTLY_MIME } from "./plotly";
