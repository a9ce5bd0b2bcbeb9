import { serializeSafetensors, parseSafetensors } from ".";

test("byte layout of a hand-worked file: one F32 tensor [1, -2]", () => {
  const buf = serializeSafetensors({ a: { dtype: "F32", shape: [2], data: new Float32Array([1, -2]) } });
  const json = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}'; // 54 bytes
  const padded = json + "  "; // padded with spaces to 56, a multiple of 8
  const expected = Buffer.concat([
    Buffer.from([56, 0, 0, 0, 0, 0, 0, 0]), // u64 little-endian header length
    Buffer.from(padded, "utf8"),
    Buffer.from([0x00, 0x00, 0x80, 0x3f]), // 1.0f little-endian
    Buffer.from([0x00, 0x00, 0x00, 0xc0]), // -2.0f
  ]);
  expect(json.length).toBe(54);
  expect(buf.equals(expected)).toBe(true);
});

test("round-trips several tensors and metadata", () => {
  const t = {
    w: { dtype: "F32" as const, shape: [2, 3], data: new Float32Array([0.1, 0.2, 0.3, -1e-30, 3e38, NaN]) },
    ids: { dtype: "I32" as const, shape: [3], data: new Int32Array([-1, 0, 2147483647]) },
    s: { dtype: "F32" as const, shape: [], data: new Float32Array([7]) },
  };
  const back = parseSafetensors(serializeSafetensors(t, { format: "x" }));
  expect(back.metadata).toEqual({ format: "x" });
  expect(Array.from(back.tensors.w.data)).toEqual(Array.from(t.w.data));
  expect(back.tensors.w.shape).toEqual([2, 3]);
  expect(Array.from(back.tensors.ids.data)).toEqual([-1, 0, 2147483647]);
  expect(back.tensors.s.shape).toEqual([]);
});

test("corrupt files give errors that say what is wrong", () => {
  const good = serializeSafetensors({ a: { dtype: "F32", shape: [2], data: new Float32Array([1, 2]) } });
  expect(() => parseSafetensors(Buffer.from([1, 2, 3]), "x.safetensors")).toThrow(
    /x.safetensors is not a valid safetensors file: only 3 bytes/,
  );
  expect(() => parseSafetensors(good.subarray(0, good.length - 4))).toThrow(/past the 4 data bytes/);
  const hugeHeader = Buffer.from(good);
  hugeHeader.writeBigUInt64LE(10n ** 6n, 0);
  expect(() => parseSafetensors(hugeHeader)).toThrow(/header length 1000000 exceeds/);
  const badJson = Buffer.from(good);
  badJson[8] = "[".charCodeAt(0);
  expect(() => parseSafetensors(badJson)).toThrow(/not valid JSON|not a JSON object/);
  const trailing = Buffer.concat([good, Buffer.from([0, 0, 0, 0])]);
  expect(() => parseSafetensors(trailing)).toThrow(/4 trailing bytes/);
  const f16 = Buffer.from(good.toString("latin1").replace('"F32"', '"F16"'), "latin1");
  expect(() => parseSafetensors(f16)).toThrow(/dtype "F16"/);
});
