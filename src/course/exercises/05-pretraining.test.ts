// 05's checkers: the reference answer passes, the usual slips fail and are named.
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { initBackend } from "../../backend";
import { GPT } from "../../model";
import { loadRunConfig, Trainer } from "../../train";
import { CharVocab } from "../../tokenize/charVocab";
import { fails, verdict } from "./testing";

describe("05.1 bits per byte", () => {
  it("passes nats / ln 2 / bytes per token and names nats, per-token and multiplying", () => {
    expect(verdict("05.1", (n: number, b: number) => n / Math.LN2 / b).ok).toBe(true);
    fails("05.1", (n: number, b: number) => n / b, /still in nats/);
    fails("05.1", (n: number) => n / Math.LN2, /bits per \*token\*/);
    fails("05.1", (n: number, b: number) => (n / Math.LN2) * b, /divide, not multiply/);
    fails("05.1", () => NaN, /expected a number/);
  });
});

describe("05.2 resume exactly", () => {
  const text = "four score and seven years ago our fathers brought forth on this continent ".repeat(20);
  const vocab = CharVocab.fromText(text);
  const data = { train: [vocab.encode(text.slice(0, 1000))], val: [vocab.encode(text.slice(1000))] };
  const config = {
    ...loadRunConfig("tiny").train,
    batchSize: 2,
    maxIters: 2,
    warmupIters: 1,
    lrDecayIters: 2,
    evalInterval: 1,
    evalIters: 1,
  };
  let dir = "";
  beforeAll(async () => {
    await initBackend();
    dir = mkdtempSync(join(tmpdir(), "llmlab-05-test-"));
    const model = new GPT({ vocabSize: vocab.size, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 16 }, { seed: 1 });
    await new Trainer({ model, config, data }).run({ checkpointDir: dir });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const resumed = async (maxIters: number, d = data) => {
    const t = Trainer.resume(dir, d, { maxIters });
    await t.run();
    return t;
  };
  it("passes two identical resumes and explains unrun, uneven and different ones", async () => {
    expect(verdict("05.2", { first: await resumed(4), second: await resumed(4) }).ok).toBe(true);
    fails(
      "05.2",
      { first: Trainer.resume(dir, data, { maxIters: 4 }), second: Trainer.resume(dir, data, { maxIters: 4 }) },
      /has not trained since it was resumed/,
    );
    fails("05.2", { first: await resumed(4), second: await resumed(5) }, /different steps/);
    const other = { ...data, train: [vocab.encode(text.slice(500, 1500))] };
    fails("05.2", { first: await resumed(4), second: await resumed(4, other) }, /parameters differ/);
    fails("05.2", { first: undefined, second: undefined }, /must be trainers/);
  });
});
