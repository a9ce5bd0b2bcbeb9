// The test page's script (bundled by ./bundle.ts into a temp folder at test time, loaded from the
// Notebook server's own origin): starts a kernel of our kernelspec through @jupyterlab/services,
// renders what cells display, widgets through LiveWidgetManager, and offers the test
// `window.llmlab.run(code)`, a cell run through this page's own kernel connection.
import "@lumino/widgets/style/index.css";
import "@jupyter-widgets/controls/css/widgets.css";
import { KernelManager, KernelMessage, ServerConnection } from "@jupyterlab/services";
import type { Kernel } from "@jupyterlab/services";
import { LiveWidgetManager } from "./manager";

const WIDGET_VIEW = "application/vnd.jupyter.widget-view+json";

export interface CellRun {
  status: string;
  /** text/plain of the cell's result, if it had one. */
  result?: string;
  /** "ename: evalue" of an error reply. */
  error?: string;
}

export interface PageApi {
  /** Settles once the kernel has started and the manager listens to it. */
  ready: Promise<string>;
  run(code: string): Promise<CellRun>;
}

declare global {
  interface Window {
    llmlab: PageApi;
  }
}

const token = new URLSearchParams(location.search).get("token") ?? "";
const baseUrl = `${location.origin}/`;
const settings = ServerConnection.makeSettings({
  baseUrl,
  wsUrl: baseUrl.replace(/^http/, "ws"),
  token,
  appendToken: true,
});
const cells = document.getElementById("cells") as HTMLElement;
let kernel: Kernel.IKernelConnection;
let manager: LiveWidgetManager;

async function start(): Promise<string> {
  const kernels = new KernelManager({ serverSettings: settings });
  await kernels.ready;
  kernel = await kernels.startNew({ name: "llmlab" });
  manager = new LiveWidgetManager(kernel);
  await kernel.info;
  return kernel.id;
}

function text(area: HTMLElement, cls: string, s: string): void {
  const pre = document.createElement("pre");
  pre.className = cls;
  pre.textContent = s;
  area.appendChild(pre);
}

/** Shows one output in `area`: a widget's view, else its text. */
async function show(area: HTMLElement, data: Record<string, unknown>): Promise<void> {
  const view = data[WIDGET_VIEW] as { model_id?: string } | undefined;
  if (view?.model_id) {
    const model = await manager.get_model(view.model_id);
    const host = document.createElement("div");
    host.className = "widget-area";
    area.appendChild(host);
    await manager.display_view(manager.create_view(model), host);
  } else if (typeof data["text/plain"] === "string") text(area, "output-text", data["text/plain"]);
}

async function run(code: string): Promise<CellRun> {
  const area = document.createElement("div");
  area.className = "cell";
  cells.appendChild(area);
  text(area, "input", code);
  const shown: Promise<void>[] = [];
  let result: string | undefined;
  const future = kernel.requestExecute({ code, allow_stdin: false, stop_on_error: true });
  future.onIOPub = (msg) => {
    if (KernelMessage.isDisplayDataMsg(msg) || KernelMessage.isExecuteResultMsg(msg)) {
      if (KernelMessage.isExecuteResultMsg(msg)) result = String(msg.content.data["text/plain"]);
      shown.push(show(area, msg.content.data));
    } else if (KernelMessage.isStreamMsg(msg)) text(area, `stream-${msg.content.name}`, msg.content.text);
    else if (KernelMessage.isErrorMsg(msg)) text(area, "output-error", msg.content.traceback.join("\n"));
  };
  const reply = (await future.done).content;
  await Promise.all(shown);
  if (reply.status === "error") return { status: reply.status, error: `${reply.ename}: ${reply.evalue}` };
  return { status: reply.status, result };
}

window.llmlab = { ready: start(), run };
