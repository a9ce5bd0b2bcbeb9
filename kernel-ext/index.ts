// kernel-ext: a TypeScript Jupyter kernel. Public entry points for the CLI, the runner
// and code that wants rich display.
export { display } from "./display/active";
export { formatValue, registerFormatter } from "./display/format";
export * from "./display/types";
export { startKernel, type KernelOptions } from "./kernel/kernel";
export type { PreloadResult } from "./kernel/preload";
export { installKernelSpec, kernelSpec, listKernelSpecs, DEFAULT_KERNEL_NAME, DISPLAY_NAME } from "./kernel/kernelspec";
