// 06's checkers: the reference answer passes, the usual slips fail and are named.
import { fp16ToFp32 } from "../../quant";
import { fails, verdict } from "./testing";

const decoder =
  (opts: { interleave?: boolean; offset?: number; bigEndian?: boolean } = {}) =>
  (b: Uint8Array) => {
    const d = fp16ToFp32(opts.bigEndian ? (b[0] << 8) | b[1] : b[0] | (b[1] << 8));
    const out = new Float32Array(32);
    const off = opts.offset ?? 8;
    for (let j = 0; j < 16; j++) {
      const [lo, hi] = [((b[2 + j] & 15) - off) * d, ((b[2 + j] >> 4) - off) * d];
      if (opts.interleave) [out[2 * j], out[2 * j + 1]] = [lo, hi];
      else [out[j], out[j + 16]] = [lo, hi];
    }
    return out;
  };

describe("06.1 decode a Q4_0 block", () => {
  it("passes ggml's layout and names interleaved nibbles, a missing offset and a big-endian scale", () => {
    expect(verdict("06.1", decoder()).ok).toBe(true);
    expect(verdict("06.1", (b: Uint8Array) => Array.from(decoder()(b))).ok).toBe(true);
    fails("06.1", decoder({ interleave: true }), /weight j\+16 in its high nibble/);
    fails("06.1", decoder({ offset: 0 }), /subtract 8/);
    fails("06.1", decoder({ bigEndian: true }), /little-endian/);
    fails("06.1", () => new Float32Array(32), /32 zeros/);
    fails("06.1", () => new Float32Array(16), /expected 32 numbers/);
  });
});

describe("06.2 Q5_1 bytes", () => {
  it("passes 24 bytes per 32 weights and names forgotten scales and other formats", () => {
    expect(verdict("06.2", (n: number) => (n / 32) * 24).ok).toBe(true);
    fails("06.2", (n: number) => (n * 5) / 8, /two fp16 numbers/);
    fails("06.2", (n: number) => (n / 32) * 18, /that is q4_0/);
    fails("06.2", () => 0, /expected 24/);
  });
});
