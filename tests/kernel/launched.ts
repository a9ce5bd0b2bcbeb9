// One llmlab kernel process (from dist/) per test file, started before its tests and
// stopped after them; KDEBUG=1 prints the kernel's log at the end.
import * as path from "path";
import { LaunchedKernel, launchKernel } from "../../kernel-ext/protocol/client";

const ENTRY = path.resolve(__dirname, "../../dist/cli/llmlab.js");

export function launchedKernel(): { readonly k: LaunchedKernel } {
  const holder: { k: LaunchedKernel } = {} as { k: LaunchedKernel };
  beforeAll(async () => {
    holder.k = await launchKernel([process.execPath, ENTRY, "kernel", "start", "-f", "{connection_file}"]);
  }, 60000);
  afterAll(async () => {
    await holder.k?.stop();
    if (process.env.KDEBUG && holder.k) console.log(holder.k.log());
  });
  return holder;
}
