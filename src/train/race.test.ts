import { initBackend } from "../backend";
import { GPT, CharLSTM } from "../model";
import { raceByWallClock, competitor, trainValSplit } from ".";
import { CharVocab } from "../tokenize/charVocab";

beforeAll(async () => {
  await initBackend();
});

test("race: both models get curves over the same budget and learn", async () => {
  const text = "abcabcabdabcabcabd ".repeat(30);
  const v = CharVocab.fromText(text);
  const s = trainValSplit(text);
  const data = { train: s.train.map((d) => v.encode(d)), val: s.val.map((d) => v.encode(d)) };
  const gpt = new GPT({ vocabSize: v.size, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 16 });
  const lstm = new CharLSTM({ vocabSize: v.size, nEmbd: 8, units: 16 });
  const res = await raceByWallClock([competitor("transformer", gpt, 1e-2), competitor("lstm", lstm, 1e-2)], data, {
    seconds: 1.5,
    batchSize: 4,
    blockSize: 8,
    evalPoints: 3,
    evalIters: 2,
  });
  expect(res.map((r) => r.name)).toEqual(["transformer", "lstm"]);
  for (const r of res) {
    expect(r.points[0].seconds).toBe(0);
    expect(r.points.at(-1)!.seconds).toBeGreaterThanOrEqual(1.5);
    expect(r.steps).toBeGreaterThan(0);
    expect(r.valLoss).toBeLessThan(r.points[0].valLoss); // it learned something
  }
  gpt.dispose();
  lstm.dispose();
});
