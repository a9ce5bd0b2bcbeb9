// The safetensors format (huggingface/safetensors): 8 bytes little-endian u64 N, then N bytes
// of JSON header {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?: {str: str}},
// then the raw little-endian tensor bytes, offsets relative to the end of the header.
// Written by hand: it is a few lines, and the npm packages for it are browser/HF-hub oriented.

export type Dtype = "F32" | "I32";
const BYTES: Record<Dtype, number> = { F32: 4, I32: 4 };

export interface NamedTensor {
  dtype: Dtype;
  shape: number[];
  data: Float32Array | Int32Array;
}

export function serializeSafetensors(tensors: Record<string, NamedTensor>, metadata?: Record<string, string>): Buffer {
  const header: Record<string, unknown> = {};
  if (metadata) header["__metadata__"] = metadata;
  let offset = 0;
  const names = Object.keys(tensors);
  for (const name of names) {
    const t = tensors[name];
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length) throw new Error(`safetensors: ${name} has shape [${t.shape}] but ${t.data.length} values`);
    const size = n * BYTES[t.dtype];
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  // Pad the header with spaces to a multiple of 8 so the data is aligned (as the reference writer does).
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const headerBytes = Buffer.from(json, "utf8");
  const out = Buffer.alloc(8 + headerBytes.length + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  let pos = 8 + headerBytes.length;
  for (const name of names) {
    const { data } = tensors[name];
    // Copy element by element through a DataView: explicit little-endian on any host.
    const view = new DataView(out.buffer, out.byteOffset + pos, data.length * 4);
    if (data instanceof Float32Array) data.forEach((v, i) => view.setFloat32(i * 4, v, true));
    else data.forEach((v, i) => view.setInt32(i * 4, v, true));
    pos += data.length * 4;
  }
  return out;
}

export interface ParsedSafetensors {
  tensors: Record<string, NamedTensor>;
  metadata: Record<string, string>;
}

/** Parses and checks a safetensors buffer; `what` names the file in error messages. */
export function parseSafetensors(buf: Buffer, what = "safetensors file"): ParsedSafetensors {
  const bad = (why: string): Error => new Error(`${what} is not a valid safetensors file: ${why}`);
  if (buf.length < 8) throw bad(`only ${buf.length} bytes, the header length alone takes 8`);
  const n = buf.readBigUInt64LE(0);
  if (n > BigInt(buf.length - 8)) throw bad(`header length ${n} exceeds the ${buf.length - 8} bytes after it`);
  const headerEnd = 8 + Number(n);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(buf.subarray(8, headerEnd).toString("utf8"));
  } catch {
    throw bad("header is not valid JSON");
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) throw bad("header is not a JSON object");
  const dataLen = buf.length - headerEnd;
  const metadata = (header["__metadata__"] ?? {}) as Record<string, string>;
  const tensors: Record<string, NamedTensor> = {};
  const spans: [number, number, string][] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const {
      dtype,
      shape,
      data_offsets: off,
    } = (info ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (dtype !== "F32" && dtype !== "I32") throw bad(`${name}: dtype ${JSON.stringify(dtype)} (supported: F32, I32)`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0))
      throw bad(`${name}: shape must be a list of non-negative integers`);
    if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isInteger(d) && d >= 0))
      throw bad(`${name}: data_offsets must be [begin, end]`);
    const [begin, end] = off as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== count * BYTES[dtype])
      throw bad(
        `${name}: data_offsets span ${end - begin} bytes, shape [${shape}] of ${dtype} needs ${count * BYTES[dtype]}`,
      );
    if (end > dataLen) throw bad(`${name}: data ends at ${end}, past the ${dataLen} data bytes (file truncated?)`);
    spans.push([begin, end, name]);
    const view = new DataView(buf.buffer, buf.byteOffset + headerEnd + begin, end - begin);
    const data = dtype === "F32" ? new Float32Array(count) : new Int32Array(count);
    for (let i = 0; i < count; i++)
      data[i] = dtype === "F32" ? view.getFloat32(i * 4, true) : view.getInt32(i * 4, true);
    tensors[name] = { dtype, shape: shape as number[], data };
  }
  // The spec asks for a byte buffer that the tensors cover exactly: no holes, no overlaps.
  spans.sort((a, b) => a[0] - b[0]);
  let expect = 0;
  for (const [begin, end, name] of spans) {
    if (begin !== expect) throw bad(`${name}: data starts at ${begin}, expected ${expect} (hole or overlap)`);
    expect = end;
  }
  if (expect !== dataLen) throw bad(`${dataLen - expect} trailing bytes after the last tensor`);
  return { tensors, metadata };
}
