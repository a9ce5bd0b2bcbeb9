// At which size a notebook ran: its own defaults (the course's "CI size"), a params file kept in a
// `full-size` folder (the course's full size), or anything else (custom parameters). The runner
// records it in the executed notebook's metadata (metadata.llmlab.size) and in its report, so the
// book can say on every chapter which size produced the numbers on it.
import { basename, dirname } from "path";

export type SizeKind = "ci" | "full" | "custom";

export interface RunSize {
  kind: SizeKind;
  /** The values injected into the parameters cell (empty at CI size). */
  parameters: Record<string, unknown>;
  /** The --params-file the values came from, as given (when there was one). */
  paramsFile?: string;
}

/** The folder whose params files define a notebook's full size (notebooks/full-size/NN-name.json). */
export const FULL_SIZE_FOLDER = "full-size";

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Classifies a run by its parameters. Full size means: every value came from a params file in a
 * `full-size` folder, unchanged (a -p on top of it makes the run custom).
 */
export function runSize(
  parameters: Record<string, unknown>,
  paramsFile?: string,
  fileParameters?: Record<string, unknown>,
): RunSize {
  const names = Object.keys(parameters);
  if (names.length === 0) return { kind: "ci", parameters: {} };
  const fromFullFile =
    !!paramsFile &&
    basename(dirname(paramsFile)) === FULL_SIZE_FOLDER &&
    !!fileParameters &&
    names.length === Object.keys(fileParameters).length &&
    names.every((n) => n in fileParameters && sameValue(parameters[n], fileParameters[n]));
  return { kind: fromFullFile ? "full" : "custom", parameters, ...(paramsFile ? { paramsFile } : {}) };
}

/** One sentence for a reader: at which size these numbers were produced. */
export function describeSize(size: RunSize): string {
  if (size.kind === "ci") return "CI size: the notebook's default parameters (the values in its parameters cell).";
  const values = Object.entries(size.parameters)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(", ");
  if (size.kind === "full")
    return `Full size: the parameters of ${size.paramsFile ? basename(size.paramsFile) : "its full-size file"} (${values}).`;
  return `Custom parameters: ${values}${size.paramsFile ? ` (from ${basename(size.paramsFile)} and the command line)` : ""}.`;
}

/** The parts of an nbformat notebook this reads (the runner's and the book's notebook types both fit). */
interface NotebookLike {
  metadata: Record<string, unknown>;
  cells: { cell_type: string; execution_count?: number | null; metadata?: Record<string, unknown> }[];
}

/** What an executed notebook says about its size: the runner's record, else whether parameters were injected. */
export function sizeOfNotebook(nb: NotebookLike): RunSize | undefined {
  const recorded = (nb.metadata.llmlab as { size?: RunSize } | undefined)?.size;
  if (recorded && (recorded.kind === "ci" || recorded.kind === "full" || recorded.kind === "custom")) return recorded;
  const executed = nb.cells.some((c) => c.cell_type === "code" && c.execution_count != null);
  if (!executed) return undefined;
  const injected = nb.cells.some(
    (c) => Array.isArray(c.metadata?.tags) && (c.metadata.tags as unknown[]).includes("injected-parameters"),
  );
  // Without the runner's record the injected values are only in the cell's source: say so.
  return injected ? { kind: "custom", parameters: {} } : { kind: "ci", parameters: {} };
}
