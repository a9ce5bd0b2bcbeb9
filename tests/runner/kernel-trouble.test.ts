// A cell that never ends, and a kernel that dies: detected and reported, never waited on forever.
import { ChildProcess } from "child_process";
import { KernelClient, runNotebook } from "../../kernel-ext/runner";
import { CODE, code, codeCell, installTestKernels, notebook, writeTestNotebook } from "./kernels";
import { IPYKERNEL, systemPackages } from "../helpers/system";

const kernels = installTestKernels();
afterAll(() => kernels.cleanup());
const opts = { env: kernels.env };

test("a cell past the timeout is interrupted; the run stops there and says so", async () => {
  const path = writeTestNotebook(
    kernels.dir,
    "endless.ipynb",
    notebook([codeCell(code("hello")), codeCell(code("endless")), codeCell(code("hello"))]),
  );
  const interrupt = jest.spyOn(KernelClient.prototype, "interrupt");
  const r = await runNotebook(path, { ...opts, timeout: 1, interruptGrace: 10 });
  const interrupts = interrupt.mock.calls.length;
  interrupt.mockRestore();
  expect(interrupts).toBe(1);
  expect(r.status).toBe("timeout");
  expect(r.cells.map((c) => c.status)).toEqual(["ok", "timeout", "not-run"]);
  expect(r.failure?.cell).toBe(1);
  expect(r.failure?.message).toMatch(
    /endless\.ipynb: cell 2 .*CellTimeoutError: cell ran longer than the timeout of 1 s; the interrupt stopped it/,
  );
});

test("a cell that ignores the interrupt gets its kernel killed after the grace period", async () => {
  const path = writeTestNotebook(
    kernels.dir,
    "stubborn.ipynb",
    notebook([codeCell(code("stubborn")), codeCell(code("hello"))]),
  );
  const r = await runNotebook(path, { ...opts, timeout: 1, interruptGrace: 1 });
  expect(r.status).toBe("timeout");
  expect(r.failure?.evalue).toMatch(/did not stop it within 1 s, so the kernel was killed/);
  expect(r.cells.map((c) => c.status)).toEqual(["timeout", "not-run"]);
});

test("a kernel killed mid-run is reported as dead, with the cell that was running", async () => {
  const path = writeTestNotebook(
    kernels.dir,
    "dies.ipynb",
    notebook([codeCell(code("hello")), codeCell(code("selfKill")), codeCell(code("hello"))]),
  );
  const r = await runNotebook(path, opts);
  expect(r.status).toBe("dead");
  expect(r.cells.map((c) => c.status)).toEqual(["ok", "dead", "not-run"]);
  expect(r.failure?.ename).toBe("DeadKernelError");
  expect(r.failure?.message).toMatch(/dies\.ipynb: cell 2 .*kernel process exited \(signal SIGKILL\)/);
  const outputs = r.notebook.cells[1].cell_type === "code" ? r.notebook.cells[1].outputs : [];
  expect(outputs).toContainEqual(expect.objectContaining({ output_type: "error", ename: "DeadKernelError" }));
});

test("a kernel that stops answering its heartbeat is reported dead, not waited on", async () => {
  const path = writeTestNotebook(
    kernels.dir,
    "frozen.ipynb",
    notebook([codeCell(code("freeze")), codeCell(code("hello"))]),
  );
  const r = await runNotebook(path, { ...opts, heartbeatTimeout: 2 });
  expect(r.status).toBe("dead");
  expect(r.failure?.message).toMatch(/frozen\.ipynb: cell 1 .*no heartbeat for \d+ s/);
});

(systemPackages(__filename, IPYKERNEL) ? test : test.skip)(
  "a kernelspec with interrupt_mode message is interrupted by interrupt_request on control",
  async () => {
    // ipykernel answers interrupt_request by interrupting itself; no signal comes from us.
    const nb = notebook([codeCell(CODE.python3.endless)], "python3-message");
    const path = writeTestNotebook(kernels.dir, "message.ipynb", nb);
    const kill = jest.spyOn(ChildProcess.prototype, "kill");
    const request = jest.spyOn(KernelClient.prototype, "request");
    try {
      const r = await runNotebook(path, { ...opts, timeout: 1, interruptGrace: 10 });
      expect(r.status).toBe("timeout");
      expect(r.failure?.evalue).toContain("the interrupt stopped it");
      expect(
        request.mock.calls.filter(([channel, type]) => channel === "control" && type === "interrupt_request"),
      ).toHaveLength(1);
      expect(kill.mock.calls.filter(([sig]) => sig === "SIGINT")).toEqual([]);
    } finally {
      kill.mockRestore();
      request.mockRestore();
    }
  },
);
