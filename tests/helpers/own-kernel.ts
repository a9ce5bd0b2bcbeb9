// jest setupFiles: every test file sees this checkout's kernel (dist/, so `npm run build` first)
// as the "llmlab" kernelspec wherever none is installed, as the `llmlab` command does.
import { registerOwnKernel } from "../../cli/own-kernel";

registerOwnKernel();
