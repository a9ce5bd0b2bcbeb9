// Our kernel through a Jupyter server's REST and websocket API, driven by @jupyterlab/services
// (the client library JupyterLab itself uses): start a kernel of our kernelspec, execute,
// interrupt, restart, shut down. The server is Debian's classic Notebook (jupyter-notebook),
// which serves the same /api/kernels REST and websocket API as jupyter_server.
import { existsSync } from "fs";
import { join } from "path";
import { KernelAPI, KernelManager, KernelMessage, ServerConnection } from "@jupyterlab/services";
import { NOTEBOOK, systemPackages } from "../helpers/system";
import { NotebookServer, startNotebookServer } from "../helpers/notebook-server";

jest.setTimeout(240_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

(systemPackages(__filename, NOTEBOOK) ? describe : describe.skip)("the kernel through @jupyterlab/services", () => {
  let server: NotebookServer;
  let settings: ServerConnection.ISettings;
  let manager: KernelManager;

  beforeAll(async () => {
    jest.spyOn(console, "debug").mockImplementation(() => undefined); // the library's connection log
    server = await startNotebookServer();
    settings = ServerConnection.makeSettings({
      baseUrl: server.url,
      wsUrl: server.url.replace(/^http/, "ws"),
      token: server.token,
    });
    manager = new KernelManager({ serverSettings: settings });
    await manager.ready;
  });
  afterAll(async () => {
    manager?.dispose();
    await server?.stop();
  });

  /** Runs `code`; the reply's content and the text/plain of its result, if any. */
  async function run(
    kernel: {
      requestExecute(c: KernelMessage.IExecuteRequestMsg["content"]): {
        onIOPub: (m: KernelMessage.IIOPubMessage) => void;
        done: Promise<KernelMessage.IExecuteReplyMsg>;
      };
    },
    code: string,
  ) {
    const future = kernel.requestExecute({ code, allow_stdin: false, stop_on_error: false });
    let result: string | undefined;
    future.onIOPub = (msg) => {
      if (KernelMessage.isExecuteResultMsg(msg)) result = String(msg.content.data["text/plain"]);
    };
    const reply = await future.done;
    return { reply: reply.content, result };
  }

  test("start, execute, interrupt, restart and shut down a kernel of our kernelspec", async () => {
    const kernel = await manager.startNew({ name: "llmlab" });
    try {
      const info = await kernel.info;
      expect(info.implementation).toBe("llmlab");
      expect(info.language_info.name).toBe("typescript");

      const first = await run(kernel, "const keep = 6 * 7;\nkeep");
      expect(first.reply.status).toBe("ok");
      expect(first.result).toBe("42");

      // Interrupt a synchronous endless loop once it runs: the file is written just before it
      // (the kernel runs in the server's folder).
      const marker = join(server.dir, "spinning.txt");
      const busy = kernel.requestExecute({
        code: 'import { writeFileSync } from "fs";\nwriteFileSync("spinning.txt", "now");\nwhile (true) {}',
        allow_stdin: false,
        stop_on_error: false,
      });
      for (const end = Date.now() + 120_000; !existsSync(marker); await sleep(100))
        if (Date.now() > end) throw new Error("the loop did not start");
      await sleep(300);
      await kernel.interrupt();
      const stopped = (await busy.done).content;
      expect(stopped).toMatchObject({ status: "error", ename: "KeyboardInterrupt" });
      expect((await run(kernel, "keep + 1")).result).toBe("43");

      await kernel.restart();
      const fresh = await run(kernel, "typeof (globalThis as { keep?: number }).keep");
      expect(fresh.reply.execution_count).toBe(1); // a new kernel counts from 1
      expect(fresh.result).toBe("'undefined'");

      await kernel.shutdown();
      expect(kernel.status).toBe("dead");
      expect((await KernelAPI.listRunning(settings)).map((k) => k.id)).not.toContain(kernel.id);
    } finally {
      if (!kernel.isDisposed) await kernel.shutdown().catch(() => undefined);
    }
  });
});
