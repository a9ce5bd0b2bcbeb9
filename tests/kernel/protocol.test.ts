// The kernel's protocol layer, driven over zeromq against a real kernel process (dist/).
import { launchedKernel } from "./launched";
import { Signer } from "../../kernel-ext/protocol/wire";

const kernel = launchedKernel();

const types = (ms: { header: { msg_type: string } }[]) => ms.map((m) => m.header.msg_type);
const content = <T>(m: { content: unknown }) => m.content as T;

test("a message with a bad signature is rejected and logged, a good one answered", async () => {
  const forged = kernel.k.send(
    "shell",
    "execute_request",
    { code: "globalThis.forged = true" },
    new Signer("not-the-key"),
  );
  await expect(kernel.k.reply(forged, 1500)).rejects.toThrow(/no reply/);
  expect(kernel.k.logTail).toMatch(/bad signature/);
  const { reply } = await kernel.k.execute("typeof (globalThis as any).forged");
  expect(content<{ status: string }>(reply).status).toBe("ok");
  const { outputs } = await kernel.k.execute("(globalThis as { forged?: boolean }).forged === undefined");
  expect(
    content<{ data: Record<string, string> }>(outputs.find((m) => m.header.msg_type === "execute_result")!).data[
      "text/plain"
    ],
  ).toBe("true");
});

test("a runtime error's traceback points at the cell's own line", async () => {
  const code = [
    "interface Point { x: number; y: number }",
    "",
    "function check(p: Point): number {",
    "",
    "  if (p.x < 0) throw new RangeError(`negative x: ${p.x}`);",
    "  return p.x;",
    "}",
    "check({ x: -1, y: 0 });",
  ].join("\n");
  const { reply, outputs } = await kernel.k.execute(code);
  const r = content<{ status: string; ename: string; evalue: string; traceback: string[]; execution_count: number }>(
    reply,
  );
  expect(r.status).toBe("error");
  expect(r.ename).toBe("RangeError");
  expect(r.evalue).toBe("negative x: -1");
  const n = r.execution_count;
  expect(r.traceback.join("\n")).toContain(`at check (In[${n}]:5:`);
  expect(r.traceback.join("\n")).toContain(`In[${n}]:8:`);
  expect(types(outputs)).toEqual(["execute_input", "error"]);
});

test("user_expressions are evaluated after the cell and returned as MIME bundles", async () => {
  const { reply } = await kernel.k.execute("const base = 20;", {
    user_expressions: { twice: "base * 2", bad: "base.nope" },
  });
  const r = content<{
    user_expressions: Record<string, { status: string; data?: Record<string, string>; ename?: string }>;
  }>(reply);
  expect(r.user_expressions.twice).toEqual({ status: "ok", data: { "text/plain": "40" }, metadata: {} });
  expect(r.user_expressions.bad).toMatchObject({ status: "error", ename: "TSError" });
});

test("a type error names the cell line and column", async () => {
  const { reply } = await kernel.k.execute("const a = 1;\n\nconst b: string = a;");
  const r = content<{ ename: string; traceback: string[] }>(reply);
  expect(r.ename).toBe("TSError");
  expect(r.traceback[0]).toMatch(/^In\[\d+\]:3:7 - error TS2322: Type 'number' is not assignable to type 'string'\./);
});

test("display with displayId, then update: true, replaces that output", async () => {
  const { outputs } = await kernel.k.execute(
    'display.text("first", { displayId: "d1" });\ndisplay.text("second", { displayId: "d1", update: true });',
  );
  expect(types(outputs)).toEqual(["execute_input", "display_data", "update_display_data"]);
  const [shown, updated] = outputs
    .slice(1)
    .map((m) => content<{ data: Record<string, string>; transient: { display_id: string } }>(m));
  expect(shown.transient.display_id).toBe("d1");
  expect(updated.transient.display_id).toBe("d1");
  expect(updated.data["text/plain"]).toBe("second");
});

test("input() round-trips through stdin, and fails clearly without allow_stdin", async () => {
  kernel.k.onInput = (prompt) => (prompt === "name? " ? "ada" : "?");
  const ok = await kernel.k.execute('const who = await input("name? ");\nwho.toUpperCase()');
  const result = ok.outputs.find((m) => m.header.msg_type === "execute_result")!;
  expect(content<{ data: Record<string, string> }>(result).data["text/plain"]).toBe("'ADA'");
  const refused = await kernel.k.execute('await input("again? ")', { allow_stdin: false });
  expect(content<{ evalue: string }>(refused.reply).evalue).toMatch(/allow_stdin/);
});

test("interrupt_request stops an awaiting loop and aborts its abortSignal", async () => {
  const id = kernel.k.send("shell", "execute_request", {
    code: 'console.log("started");\nlet ticks = 0;\nwhile (true) { ticks++; await new Promise((r) => setTimeout(r, 5)); }',
    allow_stdin: false,
    stop_on_error: false,
  });
  await kernel.k.iopubMessage(id, "stream");
  const ack = await kernel.k.reply(kernel.k.send("control", "interrupt_request", {}), 5000);
  expect(content<{ status: string }>(ack).status).toBe("ok");
  const r = content<{ status: string; ename: string }>(await kernel.k.reply(id, 10000));
  expect(r).toMatchObject({ status: "error", ename: "KeyboardInterrupt" });
});

test("interrupt_request breaks a synchronous loop, and the kernel goes on", async () => {
  const id = kernel.k.send("shell", "execute_request", {
    code: "while (true) {}",
    allow_stdin: false,
    stop_on_error: false,
  });
  // Nothing can come out of a synchronous loop: wait for the request to be taken, then a
  // moment for it to compile. Interrupted while compiling, the cell does not run: same reply.
  await kernel.k.iopubMessage(id, "execute_input");
  await new Promise((r) => setTimeout(r, 300));
  kernel.k.send("control", "interrupt_request", {});
  const r = content<{ status: string; ename: string }>(await kernel.k.reply(id, 10000));
  expect(r).toMatchObject({ status: "error", ename: "KeyboardInterrupt" });
  const after = await kernel.k.execute("abortSignal.aborted");
  expect(
    content<{ data: Record<string, string> }>(after.outputs.find((m) => m.header.msg_type === "execute_result")!).data[
      "text/plain"
    ],
  ).toBe("false");
});

describe("stop_on_error", () => {
  const failing = 'await new Promise((r) => setTimeout(r, 300));\nthrow new Error("first fails");';
  const sendAll = (stopOnError: boolean) => [
    kernel.k.send("shell", "execute_request", { code: failing, stop_on_error: stopOnError, allow_stdin: false }),
    kernel.k.send("shell", "execute_request", { code: "1", stop_on_error: true, allow_stdin: false }),
    kernel.k.send("shell", "execute_request", { code: "2", stop_on_error: true, allow_stdin: false }),
  ];
  const statuses = async (ids: string[]) =>
    Promise.all(ids.map(async (id) => content<{ status: string }>(await kernel.k.reply(id, 10000)).status));

  test("aborts the executes queued behind a failure that asked for it, not later ones", async () => {
    const ids = sendAll(true);
    expect(await statuses(ids)).toEqual(["error", "aborted", "aborted"]);
    // As ipykernel's (stop_on_error_timeout 0), the kernel's window for "already queued" closes
    // one event-loop turn after the failure: a request sent the instant the replies arrive can
    // still fall in it. A later one is one sent a moment after.
    await new Promise((r) => setTimeout(r, 100));
    const later = await kernel.k.execute("3");
    expect(content<{ status: string }>(later.reply).status).toBe("ok");
  });

  test("runs them when the failed request had stop_on_error: false", async () => {
    expect(await statuses(sendAll(false))).toEqual(["error", "ok", "ok"]);
  });
});

test("complete and inspect answer from the TypeScript language service, JSDoc as markdown", async () => {
  await kernel.k.execute(
    "/**\n * Adds two numbers.\n * @param a the first\n */\nfunction addUp(a: number, b: number): number { return a + b; }",
  );
  const c = await kernel.k.reply(kernel.k.send("shell", "complete_request", { code: "addU", cursor_pos: 4 }));
  expect(content<{ matches: string[]; cursor_start: number; cursor_end: number }>(c)).toMatchObject({
    matches: ["addUp"],
    cursor_start: 0,
    cursor_end: 4,
  });
  const i = await kernel.k.reply(
    kernel.k.send("shell", "inspect_request", { code: "addUp(1, 2)", cursor_pos: 3, detail_level: 0 }),
  );
  const r = content<{ found: boolean; data: Record<string, string> }>(i);
  expect(r.found).toBe(true);
  expect(r.data["text/markdown"]).toContain("function addUp(a: number, b: number): number");
  expect(r.data["text/markdown"]).toContain("Adds two numbers.");
  expect(r.data["text/markdown"]).toContain("*@param* — a the first");
});

test("is_complete tells complete, incomplete (with indent) and invalid apart", async () => {
  const ask = async (code: string) =>
    content<{ status: string; indent?: string }>(
      await kernel.k.reply(kernel.k.send("shell", "is_complete_request", { code })),
    );
  expect(await ask("const x = 1;")).toEqual({ status: "complete" });
  expect(await ask("for (const x of [1]) {")).toEqual({ status: "incomplete", indent: "  " });
  expect(await ask("const y = ;")).toEqual({ status: "invalid" });
  // No added line can make these valid.
  expect(await ask(")(")).toEqual({ status: "invalid" });
  expect(await ask("let 1x")).toEqual({ status: "invalid" });
  expect(await ask('const s = "open')).toEqual({ status: "invalid" });
  expect(await ask("const t = `open")).toEqual({ status: "incomplete", indent: "" });
  expect(await ask("call(1,")).toEqual({ status: "incomplete", indent: "  " });
});

test("names with leading underscores are plain top-level names, in later cells too", async () => {
  const first = await kernel.k.execute(
    "const __seen = 41;\nlet ___three = 1;\nfunction __twice(n: number) { return 2 * n; }\nclass __Box { v = __seen; }",
  );
  expect(content<{ status: string; evalue?: string }>(first.reply)).toMatchObject({ status: "ok" });
  const { outputs } = await kernel.k.execute("__twice(__seen) + ___three + new __Box().v");
  expect(
    content<{ data: Record<string, string> }>(outputs.find((m) => m.header.msg_type === "execute_result")!).data[
      "text/plain"
    ],
  ).toBe("124");
});

test("comms: a target registered by a cell answers the front end; comm_info lists it", async () => {
  await kernel.k.execute(
    'comms.registerTarget("echo", (comm) => { comm.onMsg = (data) => comm.send({ echoed: data }); });',
  );
  const open = kernel.k.send("shell", "comm_open", { comm_id: "c1", target_name: "echo", data: {} });
  await kernel.k.outputs(open);
  const msg = kernel.k.send("shell", "comm_msg", { comm_id: "c1", data: { n: 7 } });
  const out = await kernel.k.outputs(msg);
  expect(out.map((m) => [m.header.msg_type, m.content])).toEqual([
    ["comm_msg", { comm_id: "c1", data: { echoed: { n: 7 } } }],
  ]);
  const info = await kernel.k.reply(kernel.k.send("shell", "comm_info_request", { target_name: "echo" }));
  expect(content<{ comms: unknown }>(info).comms).toEqual({ c1: { target_name: "echo" } });
});

test("progress() updates one display in place; publish() sends metrics", async () => {
  const { outputs } = await kernel.k.execute(
    'const bar = progress({ total: 4, label: "steps" });\nbar.update(2, { loss: 1.5 });\nbar.update(4);\nbar.close();\npublish({ loss: 0.25, steps: 4 });',
  );
  const bars = outputs.filter(
    (m) =>
      /display_data/.test(m.header.msg_type) &&
      !content<{ data: Record<string, unknown> }>(m).data["application/vnd.llmlab.metrics+json"],
  );
  expect(bars[0].header.msg_type).toBe("display_data");
  expect(bars.slice(1).every((m) => m.header.msg_type === "update_display_data")).toBe(true);
  const ids = new Set(bars.map((m) => content<{ transient: { display_id: string } }>(m).transient.display_id));
  expect(ids.size).toBe(1);
  const metrics = outputs.find(
    (m) => content<{ data?: Record<string, unknown> }>(m).data?.["application/vnd.llmlab.metrics+json"],
  );
  expect(content<{ data: Record<string, unknown> }>(metrics!).data).toEqual({
    "application/vnd.llmlab.metrics+json": { loss: 0.25, steps: 4 },
    "text/plain": "metrics: loss=0.25 steps=4",
  });
});

test("SIGINT sent to the kernel process interrupts like interrupt_request", async () => {
  const id = kernel.k.send("shell", "execute_request", {
    code: 'console.log("go");\nwhile (!abortSignal.aborted) await new Promise((r) => setTimeout(r, 5));\n"stopped cleanly"',
    stop_on_error: false,
  });
  await kernel.k.iopubMessage(id, "stream");
  process.kill(kernel.k.child.pid!, "SIGINT");
  const r = content<{ status: string; ename?: string }>(await kernel.k.reply(id, 10000));
  expect(r).toMatchObject({ status: "error", ename: "KeyboardInterrupt" });
});

test("shutdown_request on control is answered and the kernel exits with status 0", async () => {
  const exited = new Promise<string>((r) =>
    kernel.k.child.once("exit", (code, signal) => r(`code ${code}, signal ${signal}`)),
  );
  const r = await kernel.k.reply(kernel.k.send("control", "shutdown_request", { restart: true }), 10000);
  expect(content<{ status: string; restart: boolean }>(r)).toEqual({ status: "ok", restart: true });
  // On a failure, the signal and the kernel's last log lines say why (seen once in a full run: code null).
  const how = await exited;
  if (how !== "code 0, signal null")
    throw new Error(`the kernel exited with ${how}; its log ends:\n${kernel.k.logTail}`);
});
