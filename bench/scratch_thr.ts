import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../src/backend";
(async () => {
  await initBackend({ prefer: "wasm-noaddon" });
  const w = require("@tensorflow/tfjs-backend-wasm");
  console.log("threads", w.getThreadsCount(), "simd", await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"), "mt", await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT"));
})();
