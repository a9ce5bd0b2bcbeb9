// Cross-check against another implementation: gguf-py 0.19.0 (ggml's Python package,
// gguf/quants.py, a numpy port of quantize_row_*_ref). Its bytes for the rows below were
// hashed once, with xrefRows() written to x.f32:
//   x = np.fromfile("x.f32", dtype=np.float32).reshape(32, -1)
//   hashlib.sha256(gguf.quants.quantize(x, GGMLQuantizationType.Q4_0).tobytes()).hexdigest()
// and ours must hash the same.
import { createHash } from "crypto";
import { quantizeRow } from "./ggml";
import { mulberry32 } from "../model/rng";

/** 1024 blocks: uniform values at many scales, exact ties, zeros, flat and tiny blocks. */
function xrefRows(): Float32Array {
  const r = mulberry32(2024);
  const scales = [1, 0.37, 3, 1 / 64, 1e-4, 250];
  const x = new Float32Array(32 * 1024);
  for (let i = 0; i < x.length; i++) {
    const b = Math.floor(i / 32);
    let v = (r() - 0.5) * scales[b % scales.length];
    if (b % 11 === 3) v = Math.round(v * 32) / 32 + 1 / 64; // halfway points of several grids
    if (b % 13 === 5 && i % 3 === 0) v = 0;
    if (b % 17 === 7) v = (i % 2 ? -1 : 1) * 0.75; // equal and opposite extremes
    if (b % 19 === 9) v = 0.125; // a flat block: max - min = 0
    x[i] = v;
  }
  return x;
}

const GGUF_PY_SHA256: Record<string, string> = {
  q8_0: "38abf70157b07469ce46c4b9c4226de410f329585e9e1faa22da178b1f74a120",
  q4_0: "972f5fc3f3e005518743d9f24579dd41afe12c24a83e547795643150608f7437",
  q4_1: "b4e141cf3d4baf5ab1d2f33bbb688228ccc92a1b93ff30fc661a0d8557c913d4",
  q5_0: "18e6d82307fd7f7c61620ec150c8e1c08c9a730d7113c29ba37c8a4a867ad61c",
  q5_1: "996087f8d102a0e3ef09f75e285d03408f1d8e5ff859ef15158befcf9d673d80",
};

describe("GGML blocks vs gguf-py", () => {
  for (const t of ["q8_0", "q4_0", "q4_1", "q5_0", "q5_1"] as const) {
    test(`${t}: same bytes as gguf-py's quantize on 1024 blocks`, () => {
      const h = createHash("sha256").update(quantizeRow(t, xrefRows())).digest("hex");
      expect(h).toBe(GGUF_PY_SHA256[t]);
    });
  }
});
