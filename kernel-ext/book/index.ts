// The HTML book of executed notebooks (kernel-ext: it knows notebooks, not LLMs).
export { buildBook, courseOrder, type BookOptions, type BookResult } from "./build";
export { serveBook, type BookServer } from "./serve";
