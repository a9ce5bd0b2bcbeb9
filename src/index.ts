// The public API of llmlab's course code: one namespace per step of the course, in course
// order. Notebooks see this as the global `llm` (preloaded by our kernelspec); nothing else
// under src/ is a public entry point.
export * as backend from "./backend";
export * as viz from "./viz";
export * as course from "./course";
export * as data from "./data";
export * as tokenize from "./tokenize";
export * as model from "./model";
export * as train from "./train";
export * as quant from "./quant";
export * as finetune from "./finetune";
export * as synthetic from "./synthetic";
// Step src/eval is exported as `evaluation`: `export * as eval` compiles, but in ES-module
// (always strict) code `import { eval } from "llmlab"` is a SyntaxError ("Unexpected eval or
// arguments in strict mode"), and `llm.eval` reads like the global eval().
export * as evaluation from "./eval";
