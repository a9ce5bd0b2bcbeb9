// Cross-check against ggml itself: the quantize_row_q4_K_ref / quantize_row_q6_K_ref and
// dequantize_row_* compiled into libggml-base.so, as node-llama-cpp 3.21.1 ships it
// (@node-llama-cpp/linux-x64, a devDependency), called through tests/reference/ggml_kquants.c.
// Skipped, with the reason, where that library or a C compiler is missing.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { dequantizeRow, quantizeRow } from "./ggml";
import { kquantTestRows } from "../../tests/helpers/ggml-kquants-ref";

function findGGML(): { lib: string; cc: string } | string {
  let lib: string;
  try {
    lib = path.join(
      path.dirname(require.resolve("@node-llama-cpp/linux-x64")),
      "..",
      "bins",
      "linux-x64",
      "libggml-base.so",
    );
  } catch {
    return "node-llama-cpp's @node-llama-cpp/linux-x64 is not installed (linux x64 only)";
  }
  if (!fs.existsSync(lib)) return `${lib} is missing`;
  const cc = process.env.CC ?? "cc";
  if (spawnSync(cc, ["--version"]).status !== 0) return `no C compiler (${cc}) to build tests/reference/ggml_kquants.c`;
  return { lib, cc };
}

const found = findGGML();
const maybe = typeof found === "string" ? test.skip : test;
if (typeof found === "string") console.log(`k-quants vs ggml skipped: ${found}`);

describe("k-quants vs ggml's compiled reference (libggml-base.so)", () => {
  const BLOCKS = 1300;
  let dir = "";
  beforeAll(() => {
    if (typeof found === "string") return;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmlab-kq-"));
    execFileSync(found.cc, [
      "-O1",
      "-o",
      path.join(dir, "ggml_kquants"),
      path.join(__dirname, "../../tests/reference/ggml_kquants.c"),
      "-ldl",
    ]);
    fs.writeFileSync(path.join(dir, "x.f32"), kquantTestRows(BLOCKS));
  });
  afterAll(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  for (const [type, ggmlName] of [
    ["q4_k", "q4_K"],
    ["q6_k", "q6_K"],
  ] as const) {
    maybe(`${type}: same bytes and same dequantised values as ggml on ${BLOCKS} super-blocks`, () => {
      if (typeof found === "string") return;
      const [blocks, values] = [path.join(dir, `${type}.bin`), path.join(dir, `${type}.f32`)];
      execFileSync(path.join(dir, "ggml_kquants"), [found.lib, ggmlName, path.join(dir, "x.f32"), blocks, values]);
      const x = kquantTestRows(BLOCKS);
      const theirs = new Uint8Array(fs.readFileSync(blocks));
      const ours = quantizeRow(type, x);
      expect(ours.length).toBe(theirs.length);
      let bad = 0;
      for (let i = 0; i < ours.length; i++) if (ours[i] !== theirs[i]) bad++;
      expect({ type, differingBytes: bad }).toEqual({ type, differingBytes: 0 });
      const buf = fs.readFileSync(values);
      const y = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
      const back = dequantizeRow(type, theirs, x.length);
      let badValues = 0;
      for (let i = 0; i < y.length; i++) if (!Object.is(y[i], back[i])) badValues++;
      expect({ type, differingValues: badValues }).toEqual({ type, differingValues: 0 });
    });
  }
});
