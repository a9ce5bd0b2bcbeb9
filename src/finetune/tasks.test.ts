import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../backend";
import {
  spamTask,
  qaTask,
  qaFacts,
  emailExcerpt,
  encodeExamples,
  maskedCrossEntropy,
  classCrossEntropy,
  asciiVocab,
  toAscii,
  SPAM_LABELS,
} from ".";

beforeAll(async () => {
  await initBackend();
});

const vocab = asciiVocab();

test("spam task: deterministic per seed, balanced, and no excerpt shared between splits or with the pretraining text", () => {
  const o = { trainPerClass: 40, valPerClass: 20, testPerClass: 30 };
  const a = spamTask(o);
  expect(spamTask(o)).toEqual(a);
  expect(spamTask({ ...o, seed: 1 }).test).not.toEqual(a.test);
  expect(a.train.length).toBe(80);
  expect(a.test.filter((e) => e.label === "spam").length).toBe(30);
  for (const e of [...a.train, ...a.val, ...a.test]) {
    expect(e.answer).toBe(SPAM_LABELS[e.label!]);
    expect(e.prompt.endsWith("\nspam? ")).toBe(true);
  }
  const train = new Set(a.train.map((e) => e.prompt));
  const val = new Set(a.val.map((e) => e.prompt));
  for (const e of a.test) expect(train.has(e.prompt) || val.has(e.prompt)).toBe(false);
  for (const e of a.val) expect(train.has(e.prompt)).toBe(false);
  // pretraining text holds no val/test email (its excerpt would start the same way)
  const heldOut = [...a.val, ...a.test].map((e) => e.prompt.replace("\nspam? ", ""));
  const pre = new Set(a.pretrainText.map((t) => t.slice(0, 40)));
  for (const h of heldOut) expect(pre.has(h)).toBe(false);
});

test("emailExcerpt keeps the subject and body words, drops headers, HTML and MIME lines", () => {
  const raw =
    "From x@y  Mon\nSubject: Cheap   <b>pills</b>\nX-Spam-Status: Yes\n\n--==boundary\nContent-Type: text/html\n<p>Buy now=3D</p>\nlimited offer";
  expect(emailExcerpt(raw, 200)).toBe("Cheap <b>pills</b> | Buy now limited offer");
  expect(emailExcerpt(raw, 10)).toBe("Cheap <b>p");
  expect(toAscii("Café\u2014ok\r\n")).toBe("Cafe ok\n");
});

test("QA task: split by fact (no year in two splits), deterministic, answers are the speakers", () => {
  const a = qaTask({ seed: 3 });
  expect(qaTask({ seed: 3 })).toEqual(a);
  const year = (p: string): string => /\d{4}/.exec(p)![0];
  const ys = (xs: { prompt: string }[]): Set<string> => new Set(xs.map((e) => year(e.prompt)));
  const [tr, va, te] = [ys(a.train), ys(a.val), ys(a.test)];
  for (const y of te) expect(tr.has(y) || va.has(y)).toBe(false);
  for (const y of va) expect(tr.has(y)).toBe(false);
  const facts = qaFacts();
  expect(tr.size + va.size + te.size).toBe(facts.length);
  expect(facts.find((f) => f.year === 1830)!.name).toBe("Andrew Jackson");
  expect(facts.some((f) => f.year === 1961)).toBe(false); // two speakers: ambiguous, left out
  const e1830 = [...a.train, ...a.val, ...a.test].find((e) => e.prompt === "Who gave the 1830 address?\n")!;
  expect(e1830.answer).toBe("Andrew Jackson\n");
});

test("encodeExamples: left-aligned rows, loss mask on the answer only, row length = longest example", () => {
  const b = encodeExamples(
    [
      { prompt: "ab", answer: "c" },
      { prompt: "x", answer: "yz" },
    ],
    vocab,
    8,
  );
  const id = (s: string): number => vocab.chars.indexOf(s);
  expect(b.blockSize).toBe(2); // "abc" and "xyz" need 2 inputs each
  expect(Array.from(b.x)).toEqual([id("a"), id("b"), id("x"), id("y")]);
  expect(Array.from(b.y)).toEqual([id("b"), id("c"), id("y"), id("z")]);
  expect(Array.from(b.mask)).toEqual([0, 1, 1, 1]);
  expect(b.promptEnd).toEqual([1, 0]);
  // a prompt too long for the block loses its start, the answer is kept
  const c = encodeExamples([{ prompt: "0123456789", answer: "ab" }], vocab, 4);
  expect(vocab.decode(Array.from(c.x))).toBe("789a");
  expect(() => encodeExamples([{ prompt: "", answer: "a" }], vocab, 4)).toThrow(/empty prompt/);
});

test("maskedCrossEntropy and classCrossEntropy equal the hand-worked values", () => {
  // two positions, V = 2; only the second counts: -log softmax([0, ln 3])[1] = -log(3/4)
  const logits = tf.tensor3d([
    [
      [5, -5],
      [0, Math.log(3)],
    ],
  ]);
  const l = maskedCrossEntropy(logits, tf.tensor1d([0, 1], "int32"), tf.tensor1d([0, 1]));
  expect(l.dataSync()[0]).toBeCloseTo(-Math.log(3 / 4), 5);
  const c = classCrossEntropy(
    tf.tensor2d([
      [0, Math.log(3)],
      [Math.log(3), 0],
    ]),
    [1, 1],
  );
  expect(c.dataSync()[0]).toBeCloseTo((-Math.log(3 / 4) - Math.log(1 / 4)) / 2, 5);
});
