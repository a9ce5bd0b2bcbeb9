// A live round trip through a Jupyter server: Debian's classic Notebook server (jupyter-notebook)
// runs our kernel, and @jupyterlab/services (what JupyterLab itself uses) talks to it over the
// server's websocket, playing the widget frontend: it receives the comm_opens, moves a slider,
// sends an image's bytes as a binary buffer, and sees the kernel variable, the echo and the
// interact Output change. No browser and no @jupyter-widgets manager here (see the report in
// kernel-ext/README.md): this checks the kernel through a real server and its websocket framing.
import { KernelManager, ServerConnection } from "@jupyterlab/services";
import type { Kernel, KernelMessage } from "@jupyterlab/services";
import { NOTEBOOK, systemPackages } from "../helpers/system";
import { NotebookServer, startNotebookServer } from "../helpers/notebook-server";

let server: NotebookServer;
let kernel: Kernel.IKernelConnection;
let manager: KernelManager;

jest.setTimeout(120_000);

const available = systemPackages(__filename, NOTEBOOK);

beforeAll(async () => {
  if (!available) return;
  server = await startNotebookServer();
  const settings = ServerConnection.makeSettings({
    baseUrl: server.url,
    wsUrl: server.url.replace(/^http/, "ws"),
    token: server.token,
    appendToken: true,
    WebSocket: require("ws"),
  });
  manager = new KernelManager({ serverSettings: settings });
  kernel = await manager.startNew({ name: "llmlab" });
});

afterAll(async () => {
  await kernel?.shutdown().catch(() => undefined);
  manager?.dispose();
  await server?.stop();
});

interface Model {
  comm: Kernel.IComm;
  state: Record<string, unknown>;
  buffers: DataView[];
}

async function run(code: string): Promise<KernelMessage.IIOPubMessage[]> {
  const got: KernelMessage.IIOPubMessage[] = [];
  const future = kernel.requestExecute({ code });
  future.onIOPub = (m) => void got.push(m);
  const reply = await future.done;
  if (reply.content.status !== "ok")
    throw new Error(`cell failed: ${JSON.stringify(reply.content)}\n${JSON.stringify(got.map((m) => m.content))}`);
  return got;
}

async function valueOf(expr: string): Promise<unknown> {
  const msgs = await run(`display.raw("application/json", ${expr});`);
  const shown = msgs.find((m) => m.header.msg_type === "display_data")!;
  return (shown.content as { data: Record<string, unknown> }).data["application/json"];
}

(available ? test : test.skip)(
  "moving a slider changes a kernel variable and an interact output; bytes travel as a buffer",
  async () => {
    const models = new Map<string, Model>();
    const messages: { model: string; method: string; state: Record<string, unknown> }[] = [];
    kernel.registerCommTarget("jupyter.widget", (comm, msg) => {
      const data = msg.content.data as { state: Record<string, unknown> };
      const model: Model = { comm, state: { ...data.state }, buffers: (msg.buffers ?? []) as DataView[] };
      models.set(comm.commId, model);
      comm.onMsg = (m) => {
        const d = m.content.data as { method: string; state?: Record<string, unknown> };
        Object.assign(model.state, d.state ?? {});
        if (m.buffers?.length) model.buffers = m.buffers as DataView[];
        messages.push({ model: String(model.state._model_name), method: d.method, state: d.state ?? {} });
      };
    });
    await run(
      [
        'const t = widgets.floatSlider({ min: 0, max: 2, step: 0.1, value: 0.8, description: "temperature" });',
        "let lastSeen = t.value;",
        "t.observe(({ new: v }) => { lastSeen = v; });",
        "display(t);",
        "const ui = interact(({ k }) => `k=${k}`, { k: [1, 9] });",
        "const img = widgets.image({ value: new Uint8Array([1, 2, 3]) });",
      ].join("\n"),
    );
    const find = (pred: (s: Record<string, unknown>) => boolean) => [...models.values()].find((m) => pred(m.state))!;
    const temperature = find((s) => s._model_name === "FloatSliderModel");
    const k = find((s) => s._model_name === "IntSliderModel");
    const output = find((s) => s._model_name === "OutputModel");
    const image = find((s) => s._model_name === "ImageModel");
    expect(output.state.outputs).toEqual([
      { output_type: "display_data", data: { "text/plain": "'k=5'" }, metadata: {} },
    ]);
    expect(
      Array.from(new Uint8Array(image.buffers[0].buffer, image.buffers[0].byteOffset, image.buffers[0].byteLength)),
    ).toEqual([1, 2, 3]);

    await temperature.comm.send({ method: "update", state: { value: 1.3 }, buffer_paths: [] }).done;
    await k.comm.send({ method: "update", state: { value: 7 }, buffer_paths: [] }).done;
    await image.comm.send({ method: "update", state: {}, buffer_paths: [["value"]] }, undefined, [
      new Uint8Array([9, 8, 7, 6]).buffer,
    ]).done;
    expect(await valueOf("[lastSeen, t.value, ui.values().k, Array.from(img.value)]")).toEqual([
      1.3,
      1.3,
      7,
      [9, 8, 7, 6],
    ]);
    expect(messages.filter((m) => m.method === "echo_update").map((m) => [m.model, m.state.value])).toEqual([
      ["FloatSliderModel", 1.3],
      ["IntSliderModel", 7],
      ["ImageModel", undefined],
    ]);
    expect(output.state.outputs).toEqual([
      { output_type: "display_data", data: { "text/plain": "'k=7'" }, metadata: {} },
    ]);
  },
);
