import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../src/backend";
(async () => {
  for (const b of ["wasm-stock", "wasm-noaddon", "wasm-stock", "wasm-noaddon"]) {
    await initBackend({ prefer: b });
    for (const [sa, sb, ta, tb] of [[[48, 64, 32], [48, 32, 64], false, false], [[48, 64, 32], [48, 64, 32], false, true], [[48, 64, 64], [48, 64, 32], true, false]] as [number[], number[], boolean, boolean][]) {
      const a = tf.randomNormal(sa), c = tf.randomNormal(sb);
      tf.matMul(a, c, ta, tb).dispose();
      const t = performance.now(); for (let r = 0; r < 10; r++) tf.matMul(a, c, ta, tb).dispose();
      console.log(b.padEnd(13), JSON.stringify([sa, sb, ta, tb]), ((performance.now() - t) / 10).toFixed(2), "ms");
    }
  }
})();
