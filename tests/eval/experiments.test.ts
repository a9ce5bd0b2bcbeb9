// The experiments of notebooks 08-10 at toy size: a few steps of a 1-layer width-16 model.
// What can be checked without a long run: the planted-leak experiment finds every leak, the
// dedup removes exactly the extra canary copies, every number is well-formed and consistent
// with the primitives it is built from.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import {
  leakInflation,
  canaryDedup,
  cdaExperiment,
  diversityExperiment,
  interleave,
  throughputByBatchSize,
  profileStep,
  opGroup,
  backendComparison,
  trainOnDocs,
  charCodecFor,
  paragraphs,
  sourcePassages,
  gptScorer,
  meanLoss,
  DOC_PREFIX,
  CanaryFormat,
  loadBiasPairs,
  experimentTrainConfig,
  SHORT_RUN,
  SHORT_RUN_STEPS,
} from "../../src/eval";
import { presets } from "../../src/train/config";

const model = { blockSize: 16, nLayer: 1, nHead: 2, nEmbd: 16 };
const train = { batchSize: 4, evalIters: 1 };
const words =
  "the nation congress people war peace law tax trade army navy school farm city state union court bank road".split(
    " ",
  );
/** Seeded pseudo-sentences: distinct enough that 13-grams do not collide by chance. */
function passages(n: number, len: number, seed: number): string[] {
  let s = seed;
  const next = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from(
    { length: n },
    () => Array.from({ length: len }, () => words[Math.floor(next() * words.length)]).join(" ") + ".",
  );
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("leakInflation", () => {
  it("finds every planted leak and reports both models on the all/clean/dirty subsets", async () => {
    const trainDocs = passages(12, 30, 1);
    const evalSet = passages(8, 20, 2);
    const r = await leakInflation(trainDocs, evalSet, {
      leaks: 3,
      copies: 2,
      steps: 3,
      seed: 5,
      model,
      train,
      keepModels: true,
    });
    expect(r.planted).toHaveLength(3);
    expect(r.found).toEqual(r.planted);
    expect(r.missed).toEqual([]);
    expect(r.contamination.dirty).toBe(3 + r.alsoFlagged.length);
    expect(r.perExample.cleanModel).toHaveLength(8);
    for (const m of [r.cleanModel, r.leakedModel]) {
      expect(m.nDirty).toBe(r.contamination.dirty);
      expect(m.nClean + m.nDirty).toBe(8);
    }
    const avg = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(r.cleanModel.all).toBeCloseTo(avg(r.perExample.cleanModel), 10);
    expect(r.gap.all).toBeCloseTo(r.cleanModel.all - r.leakedModel.all, 12);
    // A leak is copied `copies` times: the leaked set grows by the planted passages, twice each.
    const planted = r.planted.reduce((n, e) => n + evalSet[e].length, 0);
    expect(r.trainChars.leaked - r.trainChars.clean).toBe(2 * planted + 2 * 2 * r.planted.length); // each copy adds "\n" + text + "\n"
    // The per-example losses are the kept models' mean token losses.
    const { clean, leaked } = r.models!;
    evalSet.forEach((e, i) => {
      expect(r.perExample.cleanModel[i]).toBeCloseTo(
        meanLoss(gptScorer(clean, r.codec, { prefix: DOC_PREFIX }), [e]),
        5,
      );
      expect(r.perExample.leakedModel[i]).toBeCloseTo(
        meanLoss(gptScorer(leaked, r.codec, { prefix: DOC_PREFIX }), [e]),
        5,
      );
    });
    clean.dispose();
    leaked.dispose();
  }, 60000);
});

describe("canaryDedup", () => {
  it("dedup leaves one copy; exposure is measured over the whole space before and after", async () => {
    const corpus = passages(10, 12, 3);
    const format = new CanaryFormat("pin {}{}", "0123");
    const r = await canaryDedup(corpus, { copies: 5, format, steps: 3, seed: 1, model, train });
    expect(r.copies).toEqual({ before: 5, after: 1 });
    expect(r.removedByDedup).toBe(4);
    expect(r.canary).toBe(format.render(r.secret));
    for (const e of [r.before, r.after]) {
      expect(e.method).toBe("enumeration");
      expect(e.scored).toBe(16);
      expect(e.exposure).toBeGreaterThanOrEqual(0);
      expect(e.exposure).toBeLessThanOrEqual(4);
      expect(e.exposure).toBeCloseTo(4 - Math.log2(e.rank), 10);
    }
  }, 60000);
});

describe("cdaExperiment", () => {
  it("probes the base model, a CDA fine-tune and a control fine-tune without changing the base", async () => {
    const corpus = [
      "He said his wife would go.",
      "She told her brother that John was the chairman.",
      ...passages(6, 10, 4),
    ];
    const codec = charCodecFor(corpus);
    const { model: base } = await trainOnDocs(corpus, { codec, steps: 2, model, train });
    const before = Float32Array.from(base.params["wte"].dataSync());
    const pairs = loadBiasPairs()
      .filter((p, i) => i < 3 || p.bias_type === "race")
      .slice(0, 5);
    const r = await cdaExperiment(base, corpus, { codec, pairs, fineTuneSteps: 2, namesPerGender: 2, model, train });
    expect(Array.from(base.params["wte"].dataSync())).toEqual(Array.from(before));
    expect(r.augmentedDocs).toBe(2); // the two gendered sentences get counterfactuals
    for (const p of [r.before, r.afterCda, r.afterControl!]) {
      expect(p.crowsGender).toBeGreaterThanOrEqual(0);
      expect(p.crowsGender).toBeLessThanOrEqual(1);
      expect(p.genderGap).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(p.namesOccupations)).toBe(true);
    }
    base.dispose();
  }, 60000);
});

describe("diversityExperiment", () => {
  it("trains one model per source and the mix, and scores each on every source", async () => {
    const sources = {
      a: { train: passages(6, 20, 5), val: passages(2, 20, 6) },
      b: { train: ["x y z ".repeat(20)], val: ["x y z x y z x y z"] },
    };
    const r = await diversityExperiment(sources, { steps: 2, model, train });
    expect(Object.keys(r.valLoss).sort()).toEqual(["a", "b", "mix"]);
    for (const row of Object.values(r.valLoss)) for (const s of ["a", "b"]) expect(row[s]).toBeGreaterThan(0);
    expect(r.meanValLoss.mix).toBeCloseTo((r.valLoss.mix.a + r.valLoss.mix.b) / 2, 12);
    await expect(diversityExperiment({ a: sources.a }, { steps: 1 })).rejects.toThrow(/at least 2 sources/);
  }, 60000);

  it("interleave takes one document of each source in turn", () => {
    expect(interleave([["a1", "a2", "a3"], ["b1"], ["c1", "c2"]])).toEqual(["a1", "b1", "c1", "a2", "c2", "a3"]);
  });
});

describe("trainOnDocs / GPT.clone", () => {
  it("short runs (the CI sizes) take SHORT_RUN's rate; full-size runs the tiny preset's own", () => {
    const short = experimentTrainConfig(SHORT_RUN_STEPS, 3);
    expect([short.lr, short.minLr]).toEqual([SHORT_RUN.lr, SHORT_RUN.minLr]);
    expect([short.lr, short.minLr]).toEqual([1e-2, 1e-3]);
    const long = experimentTrainConfig(2000, 3);
    expect([long.lr, long.minLr]).toEqual([presets.tiny.train.lr, presets.tiny.train.minLr]);
    expect([long.lr, long.minLr]).toEqual([3e-3, 3e-4]);
    expect(long).toMatchObject({
      maxIters: 2000,
      lrDecayIters: 2000,
      warmupIters: 20,
      evalInterval: 2000,
      seed: 3,
      batchSize: presets.tiny.train.batchSize,
    });
    // The caller's overrides win, except the step counts, which follow `steps`.
    expect(experimentTrainConfig(2000, 0, { lr: 5e-3, maxIters: 7 })).toMatchObject({ lr: 5e-3, maxIters: 2000 });
  });

  it("trainOnDocs follows that schedule: the peak rate of a short run is SHORT_RUN's", async () => {
    const docs = passages(5, 15, 7);
    const { model: m, history } = await trainOnDocs(docs, { codec: charCodecFor(docs), steps: 20, model, train });
    // 20 steps: warmup of 2, then cosine decay from the peak.
    expect(Math.max(...history.map((h) => h.lr))).toBeCloseTo(1e-2, 8);
    m.dispose();
  }, 60000);

  it("a clone scores exactly like the original; the run reports its steps", async () => {
    const docs = passages(5, 15, 7);
    const codec = charCodecFor(docs);
    const { model: m, run, history } = await trainOnDocs(docs, { codec, steps: 3, model, train });
    expect(run.step).toBe(3);
    expect(history).toHaveLength(3);
    const c = m.clone();
    expect(meanLoss(gptScorer(c, codec, { prefix: DOC_PREFIX }), docs)).toBeCloseTo(
      meanLoss(gptScorer(m, codec, { prefix: DOC_PREFIX }), docs),
      6,
    );
    m.dispose();
    c.dispose();
  }, 60000);
});

describe("compute", () => {
  it("times each batch size; the phases add up to the step", async () => {
    const rows = await throughputByBatchSize([1, 3], { steps: 1, model });
    expect(rows.map((r) => r.batchSize)).toEqual([1, 3]);
    for (const r of rows) {
      expect(r.tokensPerStep).toBe(r.batchSize * 16);
      expect(r.stepMs).toBeCloseTo(r.forwardMs + r.backwardMs + r.optimizerMs, 6); // one step: median of sums = sum
      expect(r.tokensPerSec).toBeCloseTo(r.tokensPerStep / (r.stepMs / 1000), 6);
    }
    await expect(throughputByBatchSize([0])).rejects.toThrow(/batch sizes/);
  }, 60000);

  it("compares backends on the same step, reports one that cannot load, and restores the backend in use", async () => {
    const { device } = await import("../../src/backend");
    const before = device().name;
    const rows = await backendComparison(["cpu", "no-such-backend"], 1, { steps: 1, model });
    expect(rows[0]).toMatchObject({ backend: "cpu", batchSize: 1, tokensPerStep: 16 });
    expect(rows[0].tokensPerSec).toBeGreaterThan(0);
    expect(rows[1].backend).toBe("no-such-backend");
    expect(rows[1].unavailable).toMatch(/unknown/);
    expect(device().name).toBe(before);
  }, 60000);

  it("profiles one step into op groups that sum to the kernel total", async () => {
    const p = await profileStep(2, { model });
    expect(p.kernelCalls).toBeGreaterThan(50);
    const sum = Object.values(p.groups).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(p.totalKernelMs, 6);
    expect(Object.keys(p.groups)).toEqual(
      expect.arrayContaining(["matmul", "elementwise", "embedding (gather/scatter)"]),
    );
    expect(p.topKernels.length).toBeGreaterThan(0);
    expect(p.topKernels[0].ms).toBeGreaterThanOrEqual(p.topKernels.at(-1)!.ms); // sorted, longest first
  }, 60000);

  it("groups kernels by kind", () => {
    expect(opGroup("BatchMatMul")).toBe("matmul");
    expect(opGroup("Softmax")).toBe("softmax");
    expect(opGroup("UnsortedSegmentSum")).toBe("embedding (gather/scatter)");
    expect(opGroup("Transpose")).toBe("data movement");
    expect(opGroup("Sum")).toBe("reduction");
    expect(opGroup("Erf")).toBe("elementwise");
  });
});

describe("passages", () => {
  it("splits on blank lines, else on lines, and packs long blocks by sentence", () => {
    const a = "x".repeat(90);
    expect(paragraphs(`${a}\n\nshort\n\n${a}  y`, 80, 400)).toEqual([a, `${a} y`]);
    expect(paragraphs(`${a}\n${a}`, 80, 400)).toEqual([a, a]);
    const s = "One sentence here. ".repeat(30).trim(); // 569 chars
    const out = paragraphs(s, 80, 200);
    expect(out.join(" ")).toBe(s);
    out.forEach((p) => expect(p.length).toBeLessThanOrEqual(200));
  });

  it("gives disjoint train and val passages within the budgets", async () => {
    const r = await sourcePassages(["sotu"], { trainChars: 3000, valChars: 1000, documents: 6 });
    const { train: tr, val } = r.sotu;
    const chars = (xs: readonly string[]): number => xs.reduce((n, x) => n + x.length, 0);
    expect(chars(val)).toBeGreaterThanOrEqual(1000);
    expect(chars(val)).toBeLessThan(1000 + 400);
    expect(chars(tr)).toBeGreaterThanOrEqual(3000);
    const v = new Set(val);
    expect(tr.some((p) => v.has(p))).toBe(false);
  });
});
