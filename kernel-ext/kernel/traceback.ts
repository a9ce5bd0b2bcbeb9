// Maps positions in the JavaScript that runs back to the cell's TypeScript lines.
// A converted cell carries two inline source maps: TypeScript -> ES module (tslab's emit)
// and ES module -> CommonJS (tslab's second transpile); we compose them.
import { SourceMap } from "module";

const MAP_COMMENT = /^\/\/# sourceMappingURL=data:application\/json;base64,(.*)$/gm;

export interface CellSource {
  /** The JavaScript to run, with the source-map comments removed. */
  code: string;
  /** 1-based (line, column) in `code` -> 1-based (line, column) in the cell, if known. */
  toCell(line: number, column: number): { line: number; column: number } | undefined;
}

/** tslab prepends one line ("export {};") to every cell before compiling it. */
const CELL_PREFIX_LINES = 1;

export function splitSourceMaps(output: string): CellSource {
  const maps: SourceMap[] = [];
  for (const m of output.matchAll(MAP_COMMENT)) {
    maps.push(new SourceMap(JSON.parse(Buffer.from(m[1], "base64").toString("utf8"))));
  }
  const code = output.replace(MAP_COMMENT, "");
  // Last map first: CommonJS -> ES module -> TypeScript.
  const chain = maps.reverse();
  const lines = code.split("\n").length;
  return {
    code,
    toCell(line, column) {
      // Past the last line is the kernel's wrapper that calls the cell.
      if (chain.length === 0 || line > lines) return undefined;
      let l = line - 1;
      let c = column - 1;
      for (const map of chain) {
        const e = map.findEntry(l, c) as { originalLine?: number; originalColumn?: number };
        if (e.originalLine === undefined || e.originalColumn === undefined) return undefined;
        l = e.originalLine;
        c = e.originalColumn;
      }
      const cellLine = l - CELL_PREFIX_LINES;
      return cellLine < 0 ? undefined : { line: cellLine + 1, column: c + 1 };
    },
  };
}

/**
 * Frames of cell code, "(In[3]:12:5)" or "at In[3]:12:5", rewritten to cell lines. A cell
 * frame with no mapping is the kernel's wrapper around the cell, and is dropped.
 */
export function mapStack(stack: string, cells: Map<string, CellSource>): string {
  const frame = /(\(|at )([^\s()]+):(\d+):(\d+)(\)?)/;
  const out: string[] = [];
  for (const line of stack.split("\n")) {
    const m = /^\s+at /.test(line) ? frame.exec(line) : null;
    const cell = m ? cells.get(m[2]) : undefined;
    if (!m || !cell) {
      out.push(line);
      continue;
    }
    const pos = cell.toCell(Number(m[3]), Number(m[4]));
    if (pos) out.push(line.replace(frame, `${m[1]}${m[2]}:${pos.line}:${pos.column}${m[5]}`));
  }
  return out.join("\n");
}

/** Drops the kernel's own frames (the cell wrapper, vm, the executor) below the cell frames. */
export function userFrames(stack: string, internalFiles: string[]): string[] {
  return stack
    .split("\n")
    .filter(
      (l) =>
        !/^\s+at /.test(l) ||
        !(internalFiles.some((f) => l.includes(f)) || /\(node:|at node:|at new Promise \(<anonymous>\)/.test(l)),
    );
}
