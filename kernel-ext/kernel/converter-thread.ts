// tslab's converter on a worker thread. Creating it parses the TypeScript libraries and
// @types/node (about a second of CPU); on its own thread that overlaps with the rest of the
// kernel's start (zeromq, preloads), and type-checking never blocks the main event loop.
import { parentPort } from "worker_threads";
import { createTsConverter } from "./tsconverter";

export type ConverterOp = "convert" | "complete" | "inspect" | "addModule";
export interface ConverterRequest {
  id: number;
  op: ConverterOp;
  args: unknown[];
}
export type ConverterResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

const port = parentPort;
if (!port) throw new Error("converter-thread must run as a worker thread");
const converter = createTsConverter();

port.on("message", (req: ConverterRequest | "close") => {
  if (req === "close") {
    converter.close();
    port.close();
    return;
  }
  try {
    const [a, b, c] = req.args as [string, string, number];
    let value: unknown;
    if (req.op === "convert") value = converter.convert(a, b);
    else if (req.op === "complete") value = { ...converter.complete(a, b, c), original: undefined };
    else if (req.op === "inspect") value = converter.inspect(a, b, c) ?? null;
    else value = converter.addModule(a, b);
    port.postMessage({ id: req.id, ok: true, value } satisfies ConverterResponse);
  } catch (err) {
    port.postMessage({
      id: req.id,
      ok: false,
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    } satisfies ConverterResponse);
  }
});
