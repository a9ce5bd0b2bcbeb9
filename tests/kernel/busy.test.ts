// A kernel whose main thread is stuck in a synchronous loop that cannot be interrupted
// (it started after an await): the heartbeat still answers and shutdown still ends it.
import * as zmq from "zeromq";
import { launchedKernel } from "./launched";
import { endpoint } from "../../kernel-ext/protocol/wire";

const kernel = launchedKernel();

test("heartbeat echoes and shutdown_request ends the process while a cell spins", async () => {
  // The output is flushed during the pause, so seeing it means the cell runs (and compiling,
  // which can take seconds on a loaded machine, is over).
  const id = kernel.k.send("shell", "execute_request", {
    code: 'console.log("spinning");\nawait new Promise((r) => setTimeout(r, 200));\nwhile (true) {}',
    stop_on_error: false,
  });
  await kernel.k.iopubMessage(id, "stream");
  await new Promise((r) => setTimeout(r, 1000));

  const hb = new zmq.Request({ receiveTimeout: 3000 });
  hb.connect(endpoint(kernel.k.info, kernel.k.info.hb_port));
  await hb.send("ping");
  const [echo] = await hb.receive();
  hb.close();
  expect(echo.toString()).toBe("ping");

  const exited = new Promise<NodeJS.Signals | number | null>((r) =>
    kernel.k.child.once("exit", (code, signal) => r(code ?? signal)),
  );
  const reply = await kernel.k.reply(kernel.k.send("control", "shutdown_request", { restart: false }), 10000);
  expect(reply.content).toEqual({ status: "ok", restart: false });
  expect(await exited).toBe("SIGTERM");
}, 30000);
