import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { choose, type Candidate } from "./chooser";
import { device, initBackend } from "./index";

const failing = (name: string, why: string): Candidate => ({
  name,
  auto: true,
  load: async () => {
    throw new Error(why);
  },
});
const working = (name: string): Candidate => ({
  name,
  auto: true,
  load: async () => {
    await tf.setBackend("cpu");
    return { tfBackend: "cpu", detail: `fake ${name}` };
  },
});

describe("backend chooser", () => {
  const saved = process.env.LLMLAB_BACKEND;
  afterEach(() => {
    if (saved === undefined) delete process.env.LLMLAB_BACKEND;
    else process.env.LLMLAB_BACKEND = saved;
  });

  test("skips a candidate that throws at load, with its reason, and takes the next", async () => {
    const c = await choose([failing("gpu", "no libtensorflow"), failing("webgpu", "no adapter"), working("cpu")]);
    expect(c.name).toBe("cpu");
    expect(c.skipped).toEqual([
      { name: "gpu", reason: "no libtensorflow" },
      { name: "webgpu", reason: "no adapter" },
    ]);
    expect(c.reason).toMatch(/skipped gpu, webgpu/);
  });

  test("a forced candidate that fails is an error naming it, not a silent fallback", async () => {
    await expect(choose([failing("gpu", "no CUDA"), working("cpu")], "gpu")).rejects.toThrow(/'gpu'.*no CUDA/);
    await expect(choose([working("cpu")], "tpu")).rejects.toThrow(/'tpu' is unknown; expected one of: cpu/);
  });

  test("non-auto candidates are used only when asked for", async () => {
    const hidden: Candidate = { ...working("hidden"), auto: false };
    expect((await choose([hidden, working("cpu")])).name).toBe("cpu");
    expect((await choose([hidden, working("cpu")], "hidden")).name).toBe("hidden");
  });

  test("all failing is an error listing every reason", async () => {
    await expect(choose([failing("a", "x"), failing("b", "y")])).rejects.toThrow(/a: x; b: y/);
  });

  test("initBackend uses injected candidates, LLMLAB_BACKEND forces one, device() reports it", async () => {
    const cands = [failing("gpu", "no CUDA"), working("fast"), working("cpu")];
    const c = await initBackend({ candidates: cands });
    expect(c.name).toBe("fast");
    expect(device().summary).toMatch(/^fast \(fake fast\).*skipped gpu: no CUDA/);
    process.env.LLMLAB_BACKEND = "cpu";
    const forced = await initBackend({ candidates: cands, prefer: "fast" });
    expect(forced.name).toBe("cpu");
    expect(forced.reason).toBe("forced by LLMLAB_BACKEND=cpu");
  });

  test("the real chain here: tfjs-node and WebGPU are skipped with reasons, a working backend is chosen", async () => {
    const c = await initBackend();
    expect(["node-gpu", "node", "webgpu", "wasm", "cpu"]).toContain(c.name);
    expect(tf.getBackend()).toBe(c.tfBackend);
    for (const s of c.skipped) expect(s.reason.length).toBeGreaterThan(5);
    expect(device().name).toBe(c.name);
  });
});
