// The parts of nbformat 4 the book reads. Deliberately loose: the book renders any executed
// notebook (ours, nbconvert's, JupyterLab's) and must not reject fields it does not use.
import { readFileSync } from "fs";

export type MultilineString = string | string[];

export interface Output {
  output_type: "stream" | "display_data" | "execute_result" | "error" | "update_display_data" | string;
  name?: string;
  text?: MultilineString;
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  execution_count?: number | null;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

export interface Cell {
  id?: string;
  cell_type: "code" | "markdown" | "raw";
  source: MultilineString;
  metadata?: Record<string, unknown>;
  outputs?: Output[];
  execution_count?: number | null;
  attachments?: Record<string, Record<string, unknown>>;
}

export interface Notebook {
  cells: Cell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

export const joinText = (s: MultilineString | undefined): string => (Array.isArray(s) ? s.join("") : (s ?? ""));

export function readNotebook(path: string): Notebook {
  let nb: unknown;
  try {
    nb = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new Error(`${path}: not a JSON notebook (${(err as Error).message})`);
  }
  const n = nb as Partial<Notebook>;
  if (!n || typeof n !== "object" || !Array.isArray(n.cells))
    throw new Error(`${path}: not a Jupyter notebook (expected an object with a "cells" array)`);
  if (n.nbformat !== 4) throw new Error(`${path}: nbformat ${String(n.nbformat)} is not supported (expected 4)`);
  return { metadata: {}, ...n } as Notebook;
}

/** The notebook's title: its first Markdown heading, else the file name. */
export function notebookTitle(nb: Notebook, fallback: string): string {
  for (const c of nb.cells) {
    if (c.cell_type !== "markdown") continue;
    const m = /^#{1,2}\s+(.+?)\s*#*\s*$/m.exec(joinText(c.source));
    if (m) return m[1];
  }
  return fallback;
}

export const cellTags = (c: Cell): string[] => (Array.isArray(c.metadata?.tags) ? (c.metadata.tags as string[]) : []);
