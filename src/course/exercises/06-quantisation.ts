// Exercises of notebooks/06-quantisation.ipynb.
import { dequantizeRow, fp16ToFp32, GGML_TYPES, ggmlRowBytes, quantizeRow } from "../../quant";
import { registerExercise } from "../check";
import { asFunction, close, fail, isVerdict, pass, show } from "../judge";

// Blocks whose decoding shows each slip: the notebook's (a large positive weight), one whose
// largest weight is negative, and one with a tiny scale (fp16 bytes far from symmetric).
const BLOCKS: Float32Array[] = [
  Float32Array.from({ length: 32 }, (_, j) => (j === 3 ? 1.6 : Math.sin(j * 0.7))),
  Float32Array.from({ length: 32 }, (_, j) => (j === 20 ? -2.5 : Math.cos(j * 1.3) * (j % 5))),
  Float32Array.from({ length: 32 }, (_, j) => 1e-3 * ((j * 7) % 16) - 7e-3),
];

/** The block decoded with one slip, to name it when the learner's values match it. */
function decodeWith(bytes: Uint8Array, slip: "interleaved" | "no offset" | "big-endian"): number[] {
  const d = fp16ToFp32(slip === "big-endian" ? (bytes[0] << 8) | bytes[1] : bytes[0] | (bytes[1] << 8));
  const out = new Array<number>(32);
  for (let j = 0; j < 16; j++) {
    const lo = bytes[2 + j] & 15;
    const hi = bytes[2 + j] >> 4;
    const off = slip === "no offset" ? 0 : 8;
    if (slip === "interleaved") [out[2 * j], out[2 * j + 1]] = [(lo - off) * d, (hi - off) * d];
    else [out[j], out[j + 16]] = [(lo - off) * d, (hi - off) * d];
  }
  return out;
}

registerExercise({
  id: "06.1",
  title: "decode a Q4_0 block by hand",
  hint: "d = fp16ToFp32(bytes[0] | (bytes[1] << 8)); for j = 0..15: weight j = ((bytes[2+j] & 15) − 8)·d and weight j+16 = ((bytes[2+j] >> 4) − 8)·d.",
  check(answer) {
    const fn = asFunction(answer, "decodeQ40(bytes)");
    if (isVerdict(fn)) return fn;
    for (const block of BLOCKS) {
      const bytes = quantizeRow("q4_0", block);
      const want = dequantizeRow("q4_0", bytes, 32);
      const got = fn(bytes.slice() as never) as unknown;
      const call = `decodeQ40 on the block of ${bytes.length} bytes ${show(Array.from(bytes.slice(0, 4)))}…`;
      // isView, not instanceof: a cell may run in another realm (vm context) with its own Float32Array.
      const arr = ArrayBuffer.isView(got) || Array.isArray(got) ? Array.from(got as ArrayLike<unknown>) : undefined;
      if (!arr || arr.length !== 32 || !arr.every((x) => typeof x === "number"))
        return fail(`${call} returned ${show(got)}, expected 32 numbers.`);
      const values = arr as number[];
      if (values.every((x, i) => close(x, want[i], 1e-6))) continue;
      const near = (v: number[]) => values.every((x, i) => close(x, v[i], 1e-6));
      if (values.every((x) => x === 0)) return fail(`${call} returned 32 zeros: nothing was decoded yet.`);
      if (near(decodeWith(bytes, "interleaved")))
        return fail(
          `${call}: the nibbles are in the wrong places. Byte 2+j holds weight j in its low nibble and weight j+16 in its high nibble (not j and j+1).`,
        );
      if (near(decodeWith(bytes, "no offset")))
        return fail(
          `${call}: every value is ≥ 0. Codes are stored as 0..15 with an offset: subtract 8 before scaling.`,
        );
      if (near(decodeWith(bytes, "big-endian")))
        return fail(`${call}: the scale is read big-endian. ggml stores it little-endian: bytes[0] | (bytes[1] << 8).`);
      const i = values.findIndex((x, k) => !close(x, want[k], 1e-6));
      return fail(`${call}: weight ${i} is ${values[i]}, expected ${want[i]}.`);
    }
    return pass(
      "your decoder agrees with ggml's on every block: one fp16 scale per 32 weights, 4-bit codes with an offset of 8, low nibbles first.",
    );
  },
});

// Row lengths as the model's matrices have them (multiples of 32).
const SIZES = [32, 4096, 32 * 1000 + 64];
const PER_BLOCK = Object.entries(GGML_TYPES).filter(([, t]) => t.blockSize === 32);

registerExercise({
  id: "06.2",
  title: "where does the size go? Q5_1 bytes",
  hint: "Q5_1 stores each block of 32 weights in 24 bytes (fp16 scale d, fp16 minimum m, 4 bytes of fifth bits, 16 bytes of nibbles): weights / 32 · 24.",
  check(answer) {
    const fn = asFunction(answer, "q51Bytes(weights)");
    if (isVerdict(fn)) return fn;
    for (const n of SIZES) {
      const want = ggmlRowBytes("q5_1", n);
      const got = fn(n as never);
      if (typeof got !== "number" || Number.isNaN(got))
        return fail(`q51Bytes(${n}) returned ${show(got)}, expected a number of bytes.`);
      if (close(got, want)) continue;
      if (close(got, (n * 5) / 8))
        return fail(
          `q51Bytes(${n}) = ${got}: 5 bits a weight, but each block of 32 also stores two fp16 numbers (scale and minimum), 4 more bytes: 6 bits a weight in all.`,
        );
      const other = PER_BLOCK.find(([, t]) => close(got, (n / 32) * t.typeSize));
      if (other)
        return fail(
          `q51Bytes(${n}) = ${got}: that is ${other[0]} (${other[1].typeSize} bytes a block); Q5_1 takes ${GGML_TYPES.q5_1.typeSize}.`,
        );
      return fail(`q51Bytes(${n}) = ${got}, expected ${want}.`);
    }
    return pass(
      `${GGML_TYPES.q5_1.typeSize} bytes per 32 weights = 6 bits a weight: 5 for the code and 1 for the block's scale and minimum (two fp16 per 32 weights). RTN's per-row grid costs a few bytes per *row*, GGML's per-block grids a few per *32 weights*.`,
    );
  },
});
