// The public API of llmlab's course code: one namespace per step of the course.
// Notebooks see this as the global `llm` (preloaded by our kernelspec); nothing else
// under src/ is a public entry point.
export * as backend from "./backend";
export * as model from "./model";
export * as train from "./train";
export * as finetune from "./finetune";
export * as viz from "./viz";
