// The main thread's handle on converter-thread.ts: tslab's Converter API, asynchronous.
import * as path from "path";
import { Worker } from "worker_threads";
import type { CompletionInfo, ConvertResult, Diagnostic } from "tslab/dist/converter";
import type { QuickInfo } from "@tslab/typescript-for-tslab";
import type { ConverterOp, ConverterRequest, ConverterResponse } from "./converter-thread";

export interface AsyncConverter {
  convert(prevDecl: string, src: string): Promise<ConvertResult>;
  complete(prevDecl: string, src: string, position: number): Promise<CompletionInfo>;
  inspect(prevDecl: string, src: string, position: number): Promise<QuickInfo | undefined>;
  addModule(name: string, content: string): Promise<Diagnostic[]>;
  close(): void;
}

/** Starts the worker at once; requests queue until the converter exists. */
export function startConverter(): AsyncConverter {
  const worker = new Worker(path.join(__dirname, "converter-thread.js"));
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let next = 0;
  worker.on("message", (r: ConverterResponse) => {
    const p = pending.get(r.id);
    pending.delete(r.id);
    if (r.ok) p?.resolve(r.value);
    else p?.reject(new Error(`TypeScript converter: ${r.error}`));
  });
  worker.on("error", (err) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  });
  worker.unref();
  const call = <T>(op: ConverterOp, ...args: unknown[]): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, op, args } satisfies ConverterRequest);
    });
  return {
    convert: (prevDecl, src) => call("convert", prevDecl, src),
    complete: (prevDecl, src, pos) => call("complete", prevDecl, src, pos),
    inspect: async (prevDecl, src, pos) => (await call<QuickInfo | null>("inspect", prevDecl, src, pos)) ?? undefined,
    addModule: (name, content) => call("addModule", name, content),
    close: () => worker.postMessage("close"),
  };
}
