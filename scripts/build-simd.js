#!/usr/bin/env node
// Compiles the fused SIMD kernels (native/simd/kernels.ts, AssemblyScript) to
// build/llmlab_simd.wasm; run by `npm run build`. Never fatal: without the compiler (a
// production install without devDependencies) the backend runs those ops as tfjs ops.
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const out = path.join(root, "build", "llmlab_simd.wasm");
let asc;
try {
  asc = require.resolve("assemblyscript/bin/asc.js", { paths: [root] });
} catch {
  console.log(
    "llmlab: SIMD kernels not built (assemblyscript is not installed); layer norm, GELU and softmax run as tfjs ops.",
  );
  process.exit(0);
}
fs.mkdirSync(path.dirname(out), { recursive: true });
const tmp = `${out}.${process.pid}.tmp`;
// --importMemory: the module works on the tfjs wasm backend's memory; the stub runtime and
// no abort import keep it free of data segments that would overwrite that memory.
const r = spawnSync(
  process.execPath,
  [
    asc,
    path.join(root, "native/simd/kernels.ts"),
    "--outFile",
    tmp,
    "-O3",
    "--runtime",
    "stub",
    "--importMemory",
    "--noExportMemory",
    "--noAssert",
    "--use",
    "abort=",
    "--enable",
    "simd",
  ],
  { stdio: "inherit" },
);
if (r.status !== 0) {
  fs.rmSync(tmp, { force: true });
  console.log("llmlab: SIMD kernels not built (asc failed, see above); layer norm, GELU and softmax run as tfjs ops.");
  process.exit(0);
}
fs.renameSync(tmp, out);
