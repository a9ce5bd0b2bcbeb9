// OutputCollector against what nbclient + JupyterLab make of the same IOPub messages.
import type { Message } from "../protocol/wire";
import { newHeader } from "../protocol/wire";
import type { CodeCell } from "./nbformat";
import { OutputCollector } from "./outputs";

const msg = (msg_type: string, content: Record<string, unknown>): Message => ({
  idents: [],
  header: newHeader(msg_type, "s"),
  parent_header: {},
  metadata: {},
  content,
  buffers: [],
});
const cell = (): CodeCell => ({
  id: "x",
  cell_type: "code",
  metadata: {},
  source: "",
  execution_count: null,
  outputs: [],
});

test("consecutive stream messages of one name merge; a different name starts a new output", () => {
  const c = cell();
  const col = new OutputCollector();
  col.begin(c);
  for (const [name, text] of [
    ["stdout", "a\n"],
    ["stdout", "b"],
    ["stderr", "e\n"],
    ["stdout", "c\n"],
  ])
    col.handle(msg("stream", { name, text }), c);
  expect(c.outputs).toEqual([
    { output_type: "stream", name: "stdout", text: "a\nb" },
    { output_type: "stream", name: "stderr", text: "e\n" },
    { output_type: "stream", name: "stdout", text: "c\n" },
  ]);
});

test("execute_result carries the execution count; error keeps ename/evalue/traceback", () => {
  const c = cell();
  const col = new OutputCollector();
  col.begin(c);
  col.handle(msg("execute_input", { code: "1", execution_count: 3 }), c);
  col.handle(msg("execute_result", { execution_count: 3, data: { "text/plain": "1" }, metadata: {} }), c);
  col.handle(msg("error", { ename: "E", evalue: "v", traceback: ["t1", "t2"] }), c);
  expect(c.execution_count).toBe(3);
  expect(c.outputs).toEqual([
    { output_type: "execute_result", execution_count: 3, data: { "text/plain": "1" }, metadata: {} },
    { output_type: "error", ename: "E", evalue: "v", traceback: ["t1", "t2"] },
  ]);
});

test("update_display_data replaces every output showing that display_id, in any cell, and adds none", () => {
  const c1 = cell();
  const c2 = cell();
  const col = new OutputCollector();
  col.begin(c1);
  col.handle(msg("display_data", { data: { "text/plain": "0%" }, metadata: {}, transient: { display_id: "bar" } }), c1);
  col.handle(msg("display_data", { data: { "text/plain": "other" }, metadata: {} }), c1);
  col.begin(c2);
  col.handle(msg("display_data", { data: { "text/plain": "0%" }, metadata: {}, transient: { display_id: "bar" } }), c2);
  col.handle(
    msg("update_display_data", {
      data: { "text/plain": "100%" },
      metadata: { m: 1 },
      transient: { display_id: "bar" },
    }),
    c2,
  );
  const shown = { output_type: "display_data", data: { "text/plain": "100%" }, metadata: { m: 1 } };
  expect(c1.outputs).toEqual([shown, { output_type: "display_data", data: { "text/plain": "other" }, metadata: {} }]);
  expect(c2.outputs).toEqual([shown]);
});

test("clear_output clears now; with wait, only when the next output arrives", () => {
  const c = cell();
  const col = new OutputCollector();
  col.begin(c);
  col.handle(msg("stream", { name: "stdout", text: "1" }), c);
  col.handle(msg("clear_output", { wait: false }), c);
  expect(c.outputs).toEqual([]);
  col.handle(msg("stream", { name: "stdout", text: "2" }), c);
  col.handle(msg("clear_output", { wait: true }), c);
  expect(c.outputs).toHaveLength(1);
  col.handle(msg("stream", { name: "stdout", text: "3" }), c);
  expect(c.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "3" }]);
});

test("a cleared display is no longer updated (nbclient's clear_display_id_mapping)", () => {
  const c = cell();
  const col = new OutputCollector();
  col.begin(c);
  const old = { output_type: "display_data", data: { "text/plain": "a" }, metadata: {} };
  col.handle(msg("display_data", { ...old, transient: { display_id: "d" } }), c);
  const kept = c.outputs[0];
  col.handle(msg("clear_output", { wait: false }), c);
  col.handle(
    msg("update_display_data", { data: { "text/plain": "b" }, metadata: {}, transient: { display_id: "d" } }),
    c,
  );
  expect(kept).toEqual(old);
  expect(c.outputs).toEqual([]);
});
