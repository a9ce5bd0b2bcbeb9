import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { trainValSplit, readJsonlShards, BatchSampler, bytesPerToken, sotuByYear } from ".";
import { CharVocab } from "../tokenize/charVocab";

test("char vocab: sorted distinct code points, encode/decode round trip", () => {
  const v = CharVocab.fromText("hello, world é😀");
  expect(v.chars).toEqual([" ", ",", "d", "e", "h", "l", "o", "r", "w", "é", "😀"]);
  expect(v.decode(v.encode("hello 😀"))).toBe("hello 😀");
  expect(Array.from(v.encode("led"))).toEqual([5, 3, 2]);
  expect(() => v.encode("x")).toThrow(/"x" is not in the vocabulary/);
});

test("90/10 split as nanoGPT: first 90% trains", () => {
  const s = trainValSplit("abcdefghij");
  expect(s).toEqual({ train: ["abcdefghi"], val: ["j"] });
});

test("JSONL shards: val files become the val split, bad lines are named", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmlab-data-"));
  fs.writeFileSync(path.join(dir, "train-000.jsonl"), '{"text":"ab"}\n{"text":"cd","id":1}\n');
  fs.mkdirSync(path.join(dir, "sub"));
  fs.writeFileSync(path.join(dir, "sub", "val-000.jsonl"), '{"text":"ef"}\n');
  fs.writeFileSync(path.join(dir, "test-000.jsonl"), '{"text":"zz"}\n');
  expect(readJsonlShards(dir)).toEqual({ train: ["ab", "cd"], val: ["ef"] });
  fs.writeFileSync(path.join(dir, "train-001.jsonl"), '{"txt":"x"}\n');
  expect(() => readJsonlShards(dir)).toThrow(/train-001.jsonl:1 has no string "text" field/);
  expect(() => readJsonlShards(path.join(dir, "nope"))).toThrow(/--data: not a directory/);
});

test("batch sampler: y is x shifted by one, windows uniform over shards, seeded", () => {
  const a = Int32Array.from({ length: 20 }, (_, i) => i);
  const b = Int32Array.from({ length: 10 }, (_, i) => 100 + i);
  const s = new BatchSampler([a, b], 3, 4, 7);
  const counts = [0, 0];
  for (let k = 0; k < 2000; k++) {
    const { x, y } = s.next();
    for (let r = 0; r < 3; r++) {
      for (let t = 0; t < 4; t++) expect(y[r * 4 + t]).toBe(x[r * 4 + t] + 1);
      counts[x[r * 4] >= 100 ? 1 : 0]++;
    }
  }
  // 16 windows in a, 6 in b
  expect(counts[1] / 6000).toBeCloseTo(6 / 22, 1);
  const s1 = new BatchSampler([a, b], 3, 4, 7);
  const s2 = new BatchSampler([a, b], 3, 4, 7);
  s1.next();
  s2.setState(s1.state());
  expect(s2.next()).toEqual(s1.next());
  expect(() => new BatchSampler([b], 2, 10)).toThrow(/longer than blockSize 10/);
});

test("bytes per token and the SOTU corpus", () => {
  expect(bytesPerToken(["aé"], 2)).toBe(1.5);
  const t = sotuByYear({ fromYear: 2000, toYear: 2001 });
  expect(t.length).toBeGreaterThan(10000);
});
