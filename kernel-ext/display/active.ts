// The `display` that kernel-ext exports: it sends through whichever kernel runs in this
// process (the same object is the `display` global of every cell).
import { createDisplay, Display } from "./display";
import { SendDisplay } from "./types";

export interface DisplaySink {
  send: SendDisplay;
  clear(wait: boolean): void;
}

let sink: DisplaySink | undefined;

export function setDisplaySink(s: DisplaySink | undefined): void {
  sink = s;
}

function active(): DisplaySink {
  if (!sink) throw new Error("display: no llmlab kernel is running in this process (display works in kernel cells)");
  return sink;
}

export const display: Display = createDisplay(
  (bundle, opts) => active().send(bundle, opts),
  (wait) => active().clear(wait),
);
