import { initBackend } from "../backend";
import { GPT, CharLSTM } from "../model";
import { raceByCpuTime, competitor, cpuClockMs, trainValSplit } from ".";
import { CharVocab } from "../tokenize/charVocab";

beforeAll(async () => {
  await initBackend();
});

function tinyRace() {
  const text = "abcabcabdabcabcabd ".repeat(30);
  const v = CharVocab.fromText(text);
  const s = trainValSplit(text);
  const data = { train: s.train.map((d) => v.encode(d)), val: s.val.map((d) => v.encode(d)) };
  const gpt = new GPT({ vocabSize: v.size, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 16 });
  const lstm = new CharLSTM({ vocabSize: v.size, nEmbd: 8, units: 16 });
  const competitors = [competitor("transformer", gpt, 1e-2), competitor("lstm", lstm, 1e-2)];
  return { data, competitors, dispose: () => (gpt.dispose(), lstm.dispose()) };
}

test("race: both models get curves over the same budget and learn", async () => {
  const { data, competitors, dispose } = tinyRace();
  const res = await raceByCpuTime(competitors, data, {
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
    expect(r.wallSeconds).toBeGreaterThan(0);
    expect(r.valLoss).toBeLessThan(r.points[0].valLoss); // it learned something
  }
  dispose();
});

test("race: the budget is spent on the given clock, read around each training step only", async () => {
  // A fake clock that advances 50 ms at every reading: each step reads it twice (before and
  // after), so each step costs exactly 50 ms, and a 1-second budget buys exactly 20 steps,
  // whatever the step really took and however long evaluation took.
  const { data, competitors, dispose } = tinyRace();
  let now = 0;
  const res = await raceByCpuTime(competitors, data, {
    seconds: 1,
    batchSize: 4,
    blockSize: 8,
    evalPoints: 4,
    evalIters: 1,
    clock: () => (now += 50),
  });
  for (const r of res) {
    expect(r.steps).toBe(20);
    expect(r.points.map((p) => p.step)).toEqual([0, 5, 10, 15, 20]);
    expect(r.points.map((p) => p.seconds)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(r.tokensPerSec).toBe(20 * 4 * 8);
  }
  dispose();
});

test("cpuClockMs counts CPU time, not time spent waiting", async () => {
  // Sleeping half a second costs (almost) no CPU time; a wall clock would advance 500 ms.
  const t0 = cpuClockMs();
  await new Promise((r) => setTimeout(r, 500));
  expect(cpuClockMs() - t0).toBeLessThan(250);
  // Work does cost CPU time: spin until the CPU clock itself has moved 50 ms (would hang on a
  // clock that never moved; jest's timeout ends it).
  const t1 = cpuClockMs();
  let x = 0;
  while (cpuClockMs() - t1 < 50) x += Math.sqrt(x + 1);
  expect(x).toBeGreaterThan(0);
});

test("race: a budget that is not positive is an error naming it", async () => {
  const { data, competitors, dispose } = tinyRace();
  await expect(raceByCpuTime(competitors, data, { seconds: 0, batchSize: 4, blockSize: 8 })).rejects.toThrow(
    /raceByCpuTime: seconds must be > 0, got 0/,
  );
  dispose();
});
