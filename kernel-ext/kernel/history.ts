// The kernel's input history for history_request (tail, range, search), as IPython
// answers it: entries are [session, line, input] or [session, line, [input, output]].
// Kept in memory for this kernel session (session number 1; 0 means "current").

export type HistoryEntry = [number, number, string | [string, string | null]];

interface Cell {
  line: number;
  input: string;
  output: string | null;
}

export interface HistoryRequest {
  hist_access_type?: string;
  output?: boolean;
  session?: number;
  start?: number;
  stop?: number;
  n?: number;
  pattern?: string;
  unique?: boolean;
}

export const SESSION = 1;

export class History {
  private readonly cells: Cell[] = [];

  add(line: number, input: string): void {
    this.cells.push({ line, input, output: null });
  }

  setOutput(line: number, output: string): void {
    const c = this.cells.find((x) => x.line === line);
    if (c) c.output = output;
  }

  query(req: HistoryRequest): HistoryEntry[] {
    const n = req.n ?? 10;
    let cells: Cell[];
    switch (req.hist_access_type) {
      case "tail":
        cells = n > 0 ? this.cells.slice(-n) : [];
        break;
      case "range": {
        if (req.session !== undefined && req.session !== 0 && req.session !== SESSION) return [];
        const start = req.start ?? 0;
        const stop = req.stop ?? Number.POSITIVE_INFINITY;
        cells = this.cells.filter((c) => c.line >= start && c.line < stop);
        break;
      }
      case "search": {
        const re = globToRegExp(req.pattern ?? "*");
        cells = this.cells.filter((c) => re.test(c.input));
        if (req.unique) {
          // Keep the latest occurrence of each input, as IPython does.
          const seen = new Set<string>();
          cells = cells
            .reverse()
            .filter((c) => (seen.has(c.input) ? false : (seen.add(c.input), true)))
            .reverse();
        }
        if (req.n !== undefined && req.n > 0) cells = cells.slice(-req.n);
        break;
      }
      default:
        throw new Error(
          `history_request: hist_access_type must be tail, range or search, got ${JSON.stringify(req.hist_access_type)}`,
        );
    }
    return cells.map((c): HistoryEntry => [SESSION, c.line, req.output ? [c.input, c.output] : c.input]);
  }
}

/** IPython's search pattern is an SQLite GLOB: * any run, ? one char, [...] a class. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === "*") re += "[\\s\\S]*";
    else if (ch === "?") re += "[\\s\\S]";
    else if (ch === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end < 0) re += "\\[";
      else {
        const body = glob.slice(i + 1, end);
        re += "[" + body.replace(/\\/g, "\\\\") + "]";
        i = end;
      }
    } else re += ch.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}
