// The test page's script (bundled by ./bundle.ts into a temp folder at test time, loaded from the
// Notebook server's own origin): starts a kernel of our kernelspec through @jupyterlab/services,
// renders what cells display (widgets through LiveWidgetManager; updates of a display id in place),
// and offers the test `window.llmlab.run(code)`, a cell run through this page's own kernel
// connection.
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

/** Outputs shown with a display id, which update_display_data replaces in place. */
const displays = new Map<string, HTMLElement[]>();

/** Shows one output in `area`: a widget's view, else its text. */
async function show(area: HTMLElement, data: Record<string, unknown>, displayId?: string): Promise<void> {
  const host = document.createElement("div");
  area.appendChild(host);
  if (displayId) displays.set(displayId, [...(displays.get(displayId) ?? []), host]);
  await render(host, data);
}

async function render(host: HTMLElement, data: Record<string, unknown>): Promise<void> {
  host.replaceChildren();
  const view = data[WIDGET_VIEW] as { model_id?: string } | undefined;
  if (view?.model_id) {
    const model = await manager.get_model(view.model_id);
    host.className = "widget-area";
    await manager.display_view(manager.create_view(model), host);
  } else if (typeof data["text/plain"] === "string") text(host, "output-text", data["text/plain"]);
}

async function run(code: string): Promise<CellRun> {
  const area = document.createElement("div");
  area.className = "cell";
  cells.appendChild(area);
  text(area, "input", code);
  const shown: Promise<void>[] = [];
  let result: string | undefined;
  // As JupyterLab's output area: the future outlives the reply (disposeOnDone false), so that
  // services hands it later updates of this cell's display ids, e.g. from a widget's click
  // handler, whose messages have the comm message as parent, not this cell.
  const future = kernel.requestExecute({ code, allow_stdin: false, stop_on_error: true }, false);
  future.onIOPub = (msg) => {
    if (KernelMessage.isUpdateDisplayDataMsg(msg)) {
      const id = String(msg.content.transient?.display_id);
      for (const host of displays.get(id) ?? []) if (area.contains(host)) void render(host, msg.content.data);
      return;
    }
    if (KernelMessage.isDisplayDataMsg(msg) || KernelMessage.isExecuteResultMsg(msg)) {
      if (KernelMessage.isExecuteResultMsg(msg)) result = String(msg.content.data["text/plain"]);
      const transient = msg.content.transient as { display_id?: string } | undefined;
      shown.push(show(area, msg.content.data, transient?.display_id));
    } else if (KernelMessage.isStreamMsg(msg)) text(area, `stream-${msg.content.name}`, msg.content.text);
    else if (KernelMessage.isErrorMsg(msg)) text(area, "output-error", msg.content.traceback.join("\n"));
  };
  const reply = (await future.done).content;
  await Promise.all(shown);
  if (reply.status === "error") return { status: reply.status, error: `${reply.ename}: ${reply.evalue}` };
  return { status: reply.status, result };
}

window.llmlab = { ready: start(), run };
