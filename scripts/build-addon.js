#!/usr/bin/env node
// Builds the optional native GEMM addon (binding.gyp -> build/Release/llmlab_gemm.node).
// Run by `npm install` as the root package's install script, so it must NEVER fail the
// install: any problem (no compiler, no node headers, no node-gyp, non-x86 CPU) is
// reported in one line and the script exits 0; src/backend then uses XNNPACK in wasm.
// It never downloads: node headers must be on disk (Debian's nodejs ships them in
// /usr/include/node; official tarballs in <prefix>/include/node), else the build is skipped.
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");

function skip(why) {
  console.log(`llmlab: native GEMM addon not built (${why}); the wasm backend will use XNNPACK.`);
  process.exit(0);
}

try {
  if (process.env.LLMLAB_SKIP_ADDON === "1") skip("LLMLAB_SKIP_ADDON=1");
  const prefix = path.dirname(path.dirname(process.execPath));
  const nodedir = [prefix, "/usr", "/usr/local"].find((d) => fs.existsSync(path.join(d, "include/node/node_api.h")));
  if (!nodedir) skip(`no node headers under ${prefix}/include/node and nothing may be downloaded`);
  const gypCandidates = [
    process.env.npm_config_node_gyp,
    path.join(prefix, "lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"),
    path.join(prefix, "share/nodejs/node-gyp/bin/node-gyp.js"),
  ].filter(Boolean);
  let gyp = gypCandidates.find((p) => fs.existsSync(p));
  if (!gyp) {
    try {
      gyp = require.resolve("node-gyp/bin/node-gyp.js");
    } catch {
      skip("node-gyp not found");
    }
  }
  // configure + build, not `rebuild`: rebuild starts by deleting build/, which also holds
  // `npm run build`'s build/llmlab_simd.wasm; make rebuilds what changed (flags included).
  for (const step of [
    ["configure", `--nodedir=${nodedir}`],
    ["build", "--jobs=2"],
  ]) {
    const r = spawnSync(process.execPath, [gyp, ...step], {
      cwd: root,
      stdio: process.env.LLMLAB_ADDON_VERBOSE === "1" ? "inherit" : "pipe",
      timeout: 180_000,
      env: { ...process.env, npm_config_offline: "true" },
    });
    if (r.error) skip(r.error.message);
    if (r.status !== 0) {
      const err = String(r.stderr || "")
        .split("\n")
        .filter((l) => /error/i.test(l))
        .slice(0, 3)
        .join(" | ");
      skip(`node-gyp ${step[0]} exited ${r.status}${err ? ": " + err : ""}`);
    }
  }
  console.log("llmlab: built the native GEMM addon (build/Release/llmlab_gemm.node).");
} catch (e) {
  skip(e && e.message ? e.message : String(e));
}
