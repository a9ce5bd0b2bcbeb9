// A live widget manager for the test page: @jupyter-widgets/html-manager's HTMLManager (the
// models and views of @jupyter-widgets/base 2.0.0 and controls 2.0.0, what the book uses for
// saved state) with its comms going through a @jupyterlab/services kernel connection instead of
// nowhere. The same shape as ipywidgets' own "web3" example: the kernel opens models on the
// `jupyter.widget` target, the views send updates back on those comms.
import * as base from "@jupyter-widgets/base";
// lib/htmlmanager, not the package index: the index also loads libembed (the static-page
// renderer), which assigns webpack's __webpack_public_path__ and fails under another bundler.
import { HTMLManager } from "@jupyter-widgets/html-manager/lib/htmlmanager";
import type { Kernel, KernelMessage } from "@jupyterlab/services";
import type { JSONObject } from "@lumino/coreutils";

export class LiveWidgetManager extends HTMLManager {
  constructor(readonly kernel: Kernel.IKernelConnection) {
    super();
    kernel.registerCommTarget(this.comm_target_name, async (comm, msg) => {
      // The manager speaks the older callback-style comm interface; the shim adapts a services comm.
      await this.handle_comm_open(new base.shims.services.Comm(comm), msg);
    });
  }

  /** A comm the frontend opens itself (a model created in the page). */
  override async _create_comm(
    targetName: string,
    modelId?: string,
    data?: JSONObject,
    metadata?: JSONObject,
    buffers?: ArrayBuffer[] | ArrayBufferView[],
  ): Promise<base.shims.services.Comm> {
    const comm = this.kernel.createComm(targetName, modelId);
    if (data || metadata) comm.open(data ?? {}, metadata, buffers);
    return new base.shims.services.Comm(comm);
  }

  /** The kernel's open widget comms (what a reloaded page would restore from). */
  override async _get_comm_info(): Promise<Record<string, { target_name: string }>> {
    const reply = (await this.kernel.requestCommInfo({ target_name: this.comm_target_name })) as
      KernelMessage.ICommInfoReplyMsg | undefined;
    const content = reply?.content;
    return content && content.status === "ok" ? content.comms : {};
  }
}
