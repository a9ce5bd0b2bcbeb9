// One llmlab kernel process (from dist/, without the llm preload) per test file, started before
// its tests and stopped after them, through kernel-ext's client; KDEBUG=1 prints the kernel's log.
import { KernelClient, StartOptions } from "../../kernel-ext/protocol/client";
import { ownKernelSpec } from "../../cli/own-kernel";

export function launchedKernel(opts: StartOptions & { preload?: boolean } = {}): { readonly k: KernelClient } {
  const holder: { k: KernelClient } = {} as { k: KernelClient };
  beforeAll(async () => {
    holder.k = await KernelClient.start(ownKernelSpec({ preload: opts.preload ?? false }), opts);
  }, 60000);
  afterAll(async () => {
    await holder.k?.shutdown(5000);
    if (process.env.KDEBUG && holder.k) console.log(holder.k.logTail);
  });
  return holder;
}
