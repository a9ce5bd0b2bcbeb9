// The exercises as the notebooks hold them, without a kernel: every answer cell has a solution
// (and every solution a cell), and evaluating each cell against small stand-ins for the
// notebook's earlier state shows that the placeholder fails its check without throwing (so the
// course runs clean as shipped) and the solution passes it.
import { existsSync, mkdtempSync, readdirSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import * as tf from "@tensorflow/tfjs-core";
import * as ts from "typescript";
import * as vm from "vm";
import * as llm from "../../src";
import { applySolutions, exerciseCells, readSolutions, solutionsPath } from "../../kernel-ext/exercises";
import { readNotebook, joinText, Notebook } from "../../kernel-ext/book/notebook";

const NOTEBOOKS = join(__dirname, "..", "..", "notebooks");
// 00-welcome is the kernel's demo, not a lesson: it has no exercises.
const lessons = readdirSync(NOTEBOOKS)
  .filter((f) => /^\d\d-.*\.ipynb$/.test(f) && !f.startsWith("00-"))
  .sort();
// A lesson without a solutions file is listed as todo, not silently passed.
const notebooks = lessons.filter((f) => existsSync(solutionsPath(join(NOTEBOOKS, f))));
for (const f of lessons.filter((f) => !notebooks.includes(f)))
  test.todo(`${f}: exercises through llm.course.check() with a solutions file`);

// What the cells before the exercises leave behind, small enough to build in a second. A
// notebook without an entry here is checked for structure only (CI's `llmlab grade --solutions`
// still executes it for real).
const trainText = "The computer counted 2000000 votes in 1999 and 1234567 in 2000; the computer was slow. ".repeat(40);
const bpe = llm.tokenize.trainBPE(trainText, { vocabSize: 300 });
type State = Record<string, unknown>;
const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const STATE: Partial<Record<string, () => State | Promise<State>>> = {
  "01": () => ({
    summary: {
      bytes: 100,
      rows: [
        { source: "sotu", bytes: 70 },
        { source: "brown", bytes: 20 },
        { source: "sotu", bytes: 10 },
      ],
    },
  }),
  "02": () => ({
    kept: [
      { source: "spam-assassin", text: "BUY NOW" },
      { source: "brown", text: "It was a quiet day." },
    ],
    NUM_PERM: 16,
  }),
  "03": () => ({
    trainText,
    evalText: trainText.slice(0, 500),
    DEMO_VOCAB: 300,
    bpe,
    sweep: llm.tokenize.vocabSweep(trainText, trainText.slice(0, 500), [256, 300]),
  }),
  "04": () => {
    const tokens = "the cat sat on the mat".split(" ");
    const vocab = llm.tokenize.CharVocab.fromText(trainText);
    // The notebook's attention cell, through llm.model's attention: q, k, v [T, C] and the heads'
    // output side by side (c_proj = identity), which is what exercise 04.1 compares with.
    const [T, C] = [tokens.length, 8];
    const rng = new llm.model.Rng(0);
    const randn = (n: number, m: number, std = 1) =>
      tf.tensor2d(
        Float32Array.from({ length: n * m }, () => rng.normal() * std),
        [n, m],
      );
    const steps = tf.tidy(() => {
      const [x, cAttn] = [randn(T, C), randn(C, 3 * C, 1 / Math.sqrt(C))];
      const y = llm.model.causalSelfAttention(
        x,
        { c_attn: { name: "c_attn", weight: cAttn }, c_proj: { name: "c_proj", weight: tf.eye(C) } },
        { B: 1, T, nHead: 2 },
      ).y;
      const [q, k, v] = tf.split(tf.matMul(x, cAttn), 3, 1).map((t) => t.arraySync() as number[][]);
      return { q, k, v, output: y.arraySync() };
    });
    return { tokens, steps, vocab, probe: Array.from(vocab.encode(trainText.slice(0, 32))) };
  },
  "05": async () => {
    // A two-step run of a one-layer model, checkpointed, stands in for the notebook's training.
    const vocab = llm.tokenize.CharVocab.fromText(trainText);
    const data = {
      train: [vocab.encode(trainText.slice(0, 2000))],
      val: [vocab.encode(trainText.slice(2000))],
      bytesPerToken: 1,
    };
    const iters = 2;
    const model = new llm.model.GPT(
      { vocabSize: vocab.size, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 16 },
      { seed: 1 },
    );
    const config = {
      ...llm.train.loadRunConfig("tiny").train,
      batchSize: 2,
      maxIters: iters,
      warmupIters: 1,
      lrDecayIters: iters,
      evalInterval: 1,
      evalIters: 1,
    };
    const trainer = new llm.train.Trainer({ model, config, data, vocab: { kind: "char", chars: vocab.chars } });
    const checkpointDir = mkdtempSync(join(tmpdir(), "llmlab-05-"));
    tempDirs.push(checkpointDir);
    await trainer.run({ checkpointDir });
    return { data, iters, checkpointDir, lastEval: trainer.evals[trainer.evals.length - 1] };
  },
  "06": () => ({
    q40: llm.quant.quantizeRow(
      "q4_0",
      Float32Array.from({ length: 32 }, (_, j) => Math.sin(j)),
    ),
    bytes: { fp32: 4 * 4096 },
  }),
  "07": () => {
    const model = new llm.model.GPT({ vocabSize: 20, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 8 }, { seed: 3 });
    // RUN_EXERCISES false: the cells skip their fine-tuning runs, as in CI.
    return {
      ft: llm.finetune,
      base: { model },
      RANK: 4,
      LORA_TARGETS: ["q", "v"],
      RUN_EXERCISES: false,
      spamRuns: { lora: { report: { trainableParams: 0 } } },
    };
  },
  "08": () => {
    // Distinct passages of ~80 characters whose words do not repeat across passages.
    const passage = (n: number) =>
      Array.from({ length: 10 }, (_, i) => `w${(n * 131 + i * 71) % 1009}`).join(" ") + `, said speaker ${n}.`;
    const sotu = {
      train: Array.from({ length: 12 }, (_, i) => passage(i)),
      val: Array.from({ length: 6 }, (_, i) => passage(100 + i)),
    };
    const plantedLeakCount = 2;
    const leaked = llm.evaluation.plantLeaks(sotu.train, sotu.val, plantedLeakCount, { seed: 0 });
    return { sotu, plantedLeakCount, leaked, seed: 0, canary: { canary: "my PIN is 3-1-4-1" }, canaryCopies: 5 };
  },
  "09": () => ({ ratings: llm.evaluation.simulateRatings(llm.evaluation.DEFAULT_SIMULATION) }),
  "10": () => ({
    sources: Object.fromEntries(
      ["sotu", "brown", "nlp-corpus", "spam-assassin"].map((s) => [
        s,
        { train: [`${s} one`, `${s} two`], val: [`${s} val`] },
      ]),
    ),
  }),
};

// The modules a notebook may import (BRIEF: tfjs-core and danfojs-node); cells are transpiled to CommonJS.
const IMPORTABLE: Record<string, unknown> = { "@tensorflow/tfjs-core": tf };
const cellRequire = (name: string): unknown => {
  if (!(name in IMPORTABLE)) throw new Error(`a notebook cell may not import ${JSON.stringify(name)}`);
  return IMPORTABLE[name];
};

/**
 * Runs a cell's TypeScript and resolves to the value of its last expression, as the kernel shows
 * it. The cell runs inside an async function, so top-level await works as in the kernel.
 */
async function evaluate(source: string, state: Record<string, unknown>): Promise<unknown> {
  const sf = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, true);
  const last = sf.statements[sf.statements.length - 1];
  const body =
    last && ts.isExpressionStatement(last)
      ? `${source.slice(0, last.getStart(sf))}return (${last.expression.getText(sf)});`
      : source;
  // Imports must stay at the top level; the kernel allows them only as whole lines.
  const imports = body
    .split("\n")
    .filter((l) => /^import /.test(l))
    .join("\n");
  const rest = body
    .split("\n")
    .filter((l) => !/^import /.test(l))
    .join("\n");
  const wrapped = `${imports}\nexport const __cell = (async () => {\n${rest}\n})();`;
  const js = ts.transpileModule(wrapped, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS },
  }).outputText;
  const display = Object.assign(() => undefined, { markdown: () => undefined, html: () => undefined });
  const exports: { __cell?: Promise<unknown> } = {};
  const context = vm.createContext({
    llm,
    display,
    console: { log: () => undefined },
    TextEncoder,
    require: cellRequire,
    exports,
    abortSignal: new AbortController().signal,
    ...state,
  });
  new vm.Script(js).runInContext(context);
  return exports.__cell;
}

// The models in 04-10's cells need a tfjs backend, as the kernel's first cell sets one up.
beforeAll(async () => {
  await llm.backend.initBackend();
});

const verdict = (v: unknown) => (v as { toJSON(): { id: string; ok: boolean; message: string } }).toJSON();

describe.each(notebooks)("%s", (file) => {
  const nb: Notebook = readNotebook(join(NOTEBOOKS, file));
  const cells = exerciseCells(nb);
  const solutions = readSolutions(solutionsPath(join(NOTEBOOKS, file)));
  const state = STATE[file.slice(0, 2)];

  it("has at least two exercises, each registered and solved", () => {
    expect(cells.size).toBeGreaterThanOrEqual(2);
    const known = new Set(llm.course.exercises().map((e) => e.id));
    for (const id of cells.keys()) {
      expect(known.has(id)).toBe(true);
      expect(id.startsWith(file.slice(0, 2) + ".")).toBe(true);
      expect(joinText(nb.cells[cells.get(id)!].source)).toContain(`llm.course.check("${id}"`);
    }
    const solved = applySolutions(nb, solutions, file);
    for (const [id, i] of cells) expect(joinText(solved.cells[i].source)).toBe(solutions[id]);
  });

  it.each([...cells.keys()])("exercise %s: the placeholder fails its check, the solution passes", async (id) => {
    // A lesson with exercises but no STATE fails here rather than being skipped unseen.
    if (!state) throw new Error(`STATE has no entry for ${file}: add what its cells before the exercises leave behind`);
    const placeholder = verdict(await evaluate(joinText(nb.cells[cells.get(id)!].source), await state()));
    expect(placeholder).toMatchObject({ id, ok: false });
    const solved = verdict(await evaluate(solutions[id], await state()));
    expect(solved).toEqual({ id, ok: true, message: expect.any(String) });
  });
});
