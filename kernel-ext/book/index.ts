// The HTML book of executed notebooks (kernel-ext: it knows notebooks, not LLMs).
export { buildBook, courseOrder } from "./build";
export type { BookOptions, BookResult } from "./build";
export { serveBook } from "./serve";
export type { BookServer } from "./serve";
