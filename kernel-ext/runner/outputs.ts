// Turns IOPub messages into nbformat outputs the way Jupyter front ends do: nbclient's
// output/clear_output/display-id bookkeeping, plus JupyterLab's merging of consecutive
// stream messages of the same name into one output.
import type { Message } from "../protocol/wire";
import type { CodeCell, Output } from "./nbformat";
import { joinSource } from "./nbformat";

interface Bundle {
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  transient?: { display_id?: string };
}

/** One per notebook run: display ids may be updated from later cells. */
export class OutputCollector {
  /** display_id -> outputs (objects inside some cell's outputs) showing it. */
  private readonly displays = new Map<string, Set<Output>>();
  private clearBeforeNext = false;

  constructor(private readonly onOutput?: (out: Output, cell: CodeCell) => void) {}

  /** Starts a cell: its old outputs go away, as nbclient does. */
  begin(cell: CodeCell): void {
    this.forget(cell.outputs);
    cell.outputs = [];
    this.clearBeforeNext = false;
  }

  /** Applies one IOPub message addressed to `cell`'s execute_request. */
  handle(msg: Message, cell: CodeCell): void {
    const type = msg.header.msg_type;
    const content = msg.content as Bundle & Record<string, unknown>;
    const displayId = content.transient?.display_id;
    if (displayId && (type === "display_data" || type === "update_display_data" || type === "execute_result")) {
      this.updateDisplay(displayId, content);
    }
    if (typeof content.execution_count === "number") cell.execution_count = content.execution_count;
    switch (type) {
      case "clear_output":
        if (content.wait) this.clearBeforeNext = true;
        else this.clear(cell);
        return;
      case "stream":
        return this.append(
          cell,
          {
            output_type: "stream",
            name: content.name === "stderr" ? "stderr" : "stdout",
            text: String(content.text ?? ""),
          },
          undefined,
        );
      case "display_data":
        return this.append(
          cell,
          { output_type: "display_data", data: content.data ?? {}, metadata: content.metadata ?? {} },
          displayId,
        );
      case "execute_result":
        return this.append(
          cell,
          {
            output_type: "execute_result",
            execution_count: typeof content.execution_count === "number" ? content.execution_count : null,
            data: content.data ?? {},
            metadata: content.metadata ?? {},
          },
          displayId,
        );
      case "error":
        return this.append(
          cell,
          {
            output_type: "error",
            ename: String(content.ename ?? ""),
            evalue: String(content.evalue ?? ""),
            traceback: Array.isArray(content.traceback) ? content.traceback.map(String) : [],
          },
          undefined,
        );
      default:
        // status, execute_input, update_display_data (applied above), comm_*: no output of their own.
        return;
    }
  }

  private append(cell: CodeCell, out: Output, displayId: string | undefined): void {
    if (this.clearBeforeNext) {
      this.clear(cell);
      this.clearBeforeNext = false;
    }
    const last = cell.outputs[cell.outputs.length - 1];
    if (out.output_type === "stream" && last?.output_type === "stream" && last.name === out.name) {
      last.text = joinSource(last.text) + joinSource(out.text);
      this.onOutput?.(out, cell);
      return;
    }
    if (displayId) {
      let shown = this.displays.get(displayId);
      if (!shown) this.displays.set(displayId, (shown = new Set()));
      shown.add(out);
    }
    cell.outputs.push(out);
    this.onOutput?.(out, cell);
  }

  private updateDisplay(displayId: string, content: Bundle): void {
    for (const out of this.displays.get(displayId) ?? []) {
      if (out.output_type === "display_data" || out.output_type === "execute_result") {
        out.data = content.data ?? {};
        out.metadata = content.metadata ?? {};
      }
    }
  }

  private clear(cell: CodeCell): void {
    this.forget(cell.outputs);
    cell.outputs = [];
  }

  private forget(outputs: Output[]): void {
    for (const shown of this.displays.values()) for (const o of outputs) shown.delete(o);
  }
}
