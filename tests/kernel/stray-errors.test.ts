// Stray errors (an unhandled rejection, a throw in a timer) are error outputs, never a dead
// kernel: the session's variables survive and the next cell runs.
import { launchedKernel } from "./launched";

const kernel = launchedKernel();

type ErrorContent = { ename: string; evalue: string; traceback: string[] };
const content = <T>(m: { content: unknown }) => m.content as T;

async function value(code: string): Promise<string> {
  const { outputs } = await kernel.k.execute(code);
  const result = outputs.find((m) => m.header.msg_type === "execute_result");
  if (!result) throw new Error(`no result for ${code}: ${JSON.stringify(outputs.map((m) => m.content))}`);
  return content<{ data: Record<string, string> }>(result).data["text/plain"];
}

/** Sends a cell and returns its reply and the error output it gets, even one after its idle. */
async function strayOn(code: string): Promise<{ status: string; error: ErrorContent; count: number }> {
  const id = kernel.k.send("shell", "execute_request", { code, stop_on_error: false });
  const reply = content<{ status: string; execution_count: number }>(await kernel.k.reply(id, 10000));
  const error = content<ErrorContent>(await kernel.k.iopubMessage(id, "error", 10000));
  return { status: reply.status, error, count: reply.execution_count };
}

beforeAll(async () => {
  await kernel.k.execute("const keep = 41;");
});

test("an unhandled rejection is an error output of its cell, with the cell's line; the session goes on", async () => {
  const r = await strayOn('Promise.reject(new Error("x")); 1');
  expect(r.status).toBe("ok");
  expect(r.error).toMatchObject({ ename: "Error", evalue: "x" });
  expect(r.error.traceback).toEqual(["Uncaught (in promise) Error: x", `    at In[${r.count}]:1:16`]);
  expect(await value("keep + 1")).toBe("42");
});

test("an exception thrown from a timer after its cell ended lands on that cell (the last one)", async () => {
  const r = await strayOn('setTimeout(() => { throw new RangeError("late") }, 10);');
  expect(r.error).toMatchObject({ ename: "RangeError", evalue: "late" });
  expect(r.error.traceback[0]).toBe("Uncaught RangeError: late");
  expect(r.error.traceback[1]).toContain(`In[${r.count}]:1:`);
  expect(await value("keep")).toBe("41");
});

test("a stray error while a cell runs is that cell's output, before its reply", async () => {
  const { reply, outputs } = await kernel.k.execute(
    'setTimeout(() => { throw new Error("meanwhile") }, 20);\nawait new Promise((r) => setTimeout(r, 500));\n"done"',
  );
  expect(content<{ status: string }>(reply).status).toBe("ok");
  expect(outputs.map((m) => m.header.msg_type)).toEqual(["execute_input", "error", "execute_result"]);
  expect(content<ErrorContent>(outputs[1]).evalue).toBe("meanwhile");
});

test("a module's own listener that rethrows (as Emscripten's runtime in tfjs-backend-wasm does) cannot end the kernel", async () => {
  await kernel.k.execute(
    'process.on("unhandledRejection", (reason) => { throw reason; });\nprocess.on("uncaughtException", (err) => { throw err; });',
  );
  const r = await strayOn('Promise.reject(new Error("again"));');
  expect(r.error.evalue).toBe("again");
  const t = await strayOn('setTimeout(() => { throw new Error("timer again") }, 10);');
  expect(t.error.evalue).toBe("timer again");
  expect(await value("keep")).toBe("41");
  expect(kernel.k.child.exitCode).toBeNull();
});
