// The layer-by-layer driver on a small stack of linear + tanh layers built here in plain JS.
import { GPTQ, gptqQuantize } from "./gptq";
import { Matrix, diffNorm, linear, matrix } from "./matrix";
import { LinearLayer, QuantTarget, gptqSequential, rtnAll } from "./sequential";
import { correlatedInputs, randomMatrix } from "./random-matrices";

const tanh = (m: Matrix): Matrix => matrix(m.rows, m.cols, m.data.map(Math.tanh));

/** An MLP x -> tanh(W0 x) -> tanh(W1 .) -> W2 . as a QuantTarget (one layer per step). */
function mlp(weights: Matrix[], X: Matrix) {
  const W = weights.map((w) => matrix(w.rows, w.cols, w.data.slice()));
  let calls = 0;
  const layers: LinearLayer[] = W.map((w, i) => ({
    name: `l${i}`,
    rows: w.rows,
    cols: w.cols,
    getWeight: () => w.data.slice(),
    setWeight: (d: Float32Array) => w.data.set(d),
  }));
  const forward = (x: Matrix, visit?: (i: number, input: Matrix) => void): Matrix => {
    let h = x;
    W.forEach((w, i) => {
      visit?.(i, h);
      h = linear(w, h);
      if (i < W.length - 1) h = tanh(h);
    });
    return h;
  };
  const target: QuantTarget = {
    steps: layers.map((l) => [l]),
    calibrate(names, observe) {
      calls++;
      // Two calibration "sequences" of half the tokens each.
      const half = X.rows / 2;
      for (const part of [0, 1]) {
        const x = matrix(half, X.cols, X.data.slice(part * half * X.cols, (part + 1) * half * X.cols));
        forward(x, (i, input) => names.includes(`l${i}`) && observe(`l${i}`, input, 1));
      }
    },
  };
  return { W, target, forward, calls: () => calls };
}

describe("layer-by-layer quantisation", () => {
  const X = correlatedInputs(256, 32, 11);
  const weights = [randomMatrix(48, 32, 12, 0.3), randomMatrix(48, 48, 13, 0.2), randomMatrix(16, 48, 14, 0.2)];
  const Y = mlp(weights, X).forward(X);

  test("each layer is calibrated on inputs recomputed through the already-quantised layers", async () => {
    const m = mlp(weights, X);
    await gptqSequential(m.target, { bits: 4 });
    expect(m.calls()).toBe(3);
    // Reference: do it by hand, one layer at a time.
    const Q: Matrix[] = [];
    let h = X;
    weights.forEach((w, i) => {
      const g = new GPTQ(w.cols);
      const half = h.rows / 2;
      g.addBatch(matrix(half, h.cols, h.data.slice(0, half * h.cols)));
      g.addBatch(matrix(half, h.cols, h.data.slice(half * h.cols)));
      Q.push(gptqQuantize(w, g.H, { bits: 4 }).weights);
      h = linear(Q[i], h);
      if (i < 2) h = tanh(h);
    });
    m.W.forEach((w, i) => expect(Array.from(w.data)).toEqual(Array.from(Q[i].data)));
    // Calibrating layer 1 on the unquantised model's inputs would give other weights.
    const g1 = new GPTQ(48);
    g1.addBatch(tanh(linear(weights[0], X)));
    expect(diffNorm(gptqQuantize(weights[1], g1.H, { bits: 4 }).weights.data, m.W[1].data)).toBeGreaterThan(0);
  });

  test("GPTQ's network output error is below RTN's at 4 and 3 bits", async () => {
    for (const bits of [4, 3]) {
      const g = mlp(weights, X);
      await gptqSequential(g.target, { bits });
      const r = mlp(weights, X);
      rtnAll(r.target, { bits });
      const eG = diffNorm(g.forward(X).data, Y.data);
      const eR = diffNorm(r.forward(X).data, Y.data);
      expect(eG).toBeLessThan(0.9 * eR);
    }
  });

  test("an abort stops between steps with every layer whole", async () => {
    const m = mlp(weights, X);
    const ac = new AbortController();
    const seen: string[] = [];
    const reports = await gptqSequential(m.target, {
      bits: 4,
      signal: ac.signal,
      onProgress: (p) => (seen.push(p.layer), ac.abort()),
    });
    expect(seen).toEqual(["l0"]);
    expect(reports.map((r) => r.name)).toEqual(["l0"]);
    expect(Array.from(m.W[1].data)).toEqual(Array.from(weights[1].data)); // untouched
  });

  test("a calibrate that reports an unknown layer is refused", async () => {
    const m = mlp(weights, X);
    const bad: QuantTarget = { steps: m.target.steps, calibrate: (_n, observe) => observe("nope", X, 1) };
    await expect(gptqSequential(bad, { bits: 4 })).rejects.toThrow(/"nope"/);
  });
});
