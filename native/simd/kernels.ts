// AssemblyScript, compiled to WebAssembly SIMD by scripts/build-simd.js (not TypeScript:
// tsconfig leaves native/ out). The fused elementwise kernels of src/backend, run on the
// tfjs wasm backend's own memory (imported), so tensors are read and written in place.
// Why hand-written: the same kernels as plain JavaScript loops are scalar and no faster than
// tfjs' chain of SIMD kernels they replace; 4-lane SIMD is what makes fusing them pay.
// Pointers are byte offsets into that memory; a pointer of 0 means "absent".

const LOG2E: f32 = 1.44269504088896341;
const SQRT1_2: f32 = 0.70710678118654752;
const INV_SQRT_2PI: f32 = 0.39894228040143268;

// e^x to float32 accuracy (Cephes expf): x = n ln2 + r, a degree-5 polynomial for e^r on
// |r| <= ln2/2, and 2^n built in the exponent bits. Inputs are clamped to [-87.3, 88.3].
@inline function exp4(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(-87.33654)), f32x4.splat(88.3762626647949));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(LOG2E)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1.0));
  const pow2 = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, pow2);
}

// erf(z) by Abramowitz & Stegun 7.1.26 (|error| <= 1.5e-7), tfjs' Erf formula, given e = e^(-z^2).
@inline function erf4(z: v128, e: v128): v128 {
  const t = f32x4.div(f32x4.splat(1.0), f32x4.add(f32x4.splat(1.0), f32x4.mul(f32x4.splat(0.3275911), f32x4.abs(z))));
  let p = f32x4.add(f32x4.mul(f32x4.splat(1.061405429), t), f32x4.splat(-1.453152027));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(1.421413741));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(-0.284496736));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(0.254829592));
  const y = f32x4.sub(f32x4.splat(1.0), f32x4.mul(f32x4.mul(p, t), e));
  return v128.or(y, v128.and(z, i32x4.splat(0x80000000))); // erf is odd: z's sign on |erf|
}

@inline function sum4(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

@inline function max4(v: v128): f32 {
  return max(max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}

@inline function geluAt(v: v128): v128 {
  const z = f32x4.mul(v, f32x4.splat(SQRT1_2));
  const e = exp4(f32x4.neg(f32x4.mul(z, z)));
  return f32x4.mul(f32x4.mul(v, f32x4.splat(0.5)), f32x4.add(f32x4.splat(1.0), erf4(z, e)));
}

// d/dx x Phi(x) = Phi(x) + x phi(x); one exp serves erf and the density.
@inline function geluGradAt(d: v128, v: v128): v128 {
  const z = f32x4.mul(v, f32x4.splat(SQRT1_2));
  const e = exp4(f32x4.neg(f32x4.mul(z, z)));
  const cdf = f32x4.mul(f32x4.splat(0.5), f32x4.add(f32x4.splat(1.0), erf4(z, e)));
  return f32x4.mul(d, f32x4.add(cdf, f32x4.mul(f32x4.mul(v, e), f32x4.splat(INV_SQRT_2PI))));
}

export function gelu(x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(y + (<usize>i << 2), geluAt(v128.load(x + (<usize>i << 2))));
  for (; i < n; i++) store<f32>(y + (<usize>i << 2), f32x4.extract_lane(geluAt(f32x4.splat(load<f32>(x + (<usize>i << 2)))), 0));
}

export function geluGrad(dy: usize, x: usize, dx: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dx + o, geluGradAt(v128.load(dy + o), v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dx + o, f32x4.extract_lane(geluGradAt(f32x4.splat(load<f32>(dy + o)), f32x4.splat(load<f32>(x + o))), 0));
  }
}

// Mean and 1/sqrt(var + eps) of row [x, x + 4C); C % 4 == 0 (the caller checks).
@inline function rowStats(x: usize, C: i32, eps: f32): v128 {
  let s = f32x4.splat(0);
  for (let c = 0; c < C; c += 4) s = f32x4.add(s, v128.load(x + (<usize>c << 2)));
  const mean = sum4(s) / <f32>C;
  const m = f32x4.splat(mean);
  let q = f32x4.splat(0);
  for (let c = 0; c < C; c += 4) { const d = f32x4.sub(v128.load(x + (<usize>c << 2)), m); q = f32x4.add(q, f32x4.mul(d, d)); }
  const rstd: f32 = 1.0 / Mathf.sqrt(sum4(q) / <f32>C + eps);
  return f32x4.replace_lane(f32x4.splat(mean), 1, rstd);
}

export function layerNorm(x: usize, gamma: usize, beta: usize, y: usize, rows: i32, C: i32, eps: f32): void {
  for (let r = 0; r < rows; r++) {
    const row = <usize>r * <usize>C << 2;
    const st = rowStats(x + row, C, eps);
    const m = f32x4.splat(f32x4.extract_lane(st, 0)), rs = f32x4.splat(f32x4.extract_lane(st, 1));
    for (let c = 0; c < C; c += 4) {
      const o = <usize>c << 2;
      let v = f32x4.mul(f32x4.mul(f32x4.sub(v128.load(x + row + o), m), rs), v128.load(gamma + o));
      if (beta) v = f32x4.add(v, v128.load(beta + o));
      v128.store(y + row + o, v);
    }
  }
}

// dx = rstd (g - mean(g) - xhat mean(g xhat)) with g = dy gamma; dgamma = sum dy xhat; dbeta = sum dy.
export function layerNormGrad(dy: usize, x: usize, gamma: usize, dx: usize, dgamma: usize, dbeta: usize, rows: i32, C: i32, eps: f32): void {
  memory.fill(dgamma, 0, <usize>C << 2);
  memory.fill(dbeta, 0, <usize>C << 2);
  for (let r = 0; r < rows; r++) {
    const row = <usize>r * <usize>C << 2;
    const st = rowStats(x + row, C, eps);
    const m = f32x4.splat(f32x4.extract_lane(st, 0)), rs = f32x4.splat(f32x4.extract_lane(st, 1));
    let gs = f32x4.splat(0), gx = f32x4.splat(0);
    for (let c = 0; c < C; c += 4) {
      const o = <usize>c << 2;
      const d = v128.load(dy + row + o);
      const xhat = f32x4.mul(f32x4.sub(v128.load(x + row + o), m), rs);
      const g = f32x4.mul(d, v128.load(gamma + o));
      gs = f32x4.add(gs, g);
      gx = f32x4.add(gx, f32x4.mul(g, xhat));
      v128.store(dgamma + o, f32x4.add(v128.load(dgamma + o), f32x4.mul(d, xhat)));
      v128.store(dbeta + o, f32x4.add(v128.load(dbeta + o), d));
    }
    const gMean = f32x4.splat(sum4(gs) / <f32>C), gxMean = f32x4.splat(sum4(gx) / <f32>C);
    for (let c = 0; c < C; c += 4) {
      const o = <usize>c << 2;
      const xhat = f32x4.mul(f32x4.sub(v128.load(x + row + o), m), rs);
      const g = f32x4.mul(v128.load(dy + row + o), v128.load(gamma + o));
      v128.store(dx + row + o, f32x4.mul(rs, f32x4.sub(f32x4.sub(g, gMean), f32x4.mul(xhat, gxMean))));
    }
  }
}

// Row `row` of each [T, Tk] block sees keys 0..past + row % T; the rest get probability 0.
export function causalSoftmax(s: usize, y: usize, rows: i32, T: i32, Tk: i32, scale: f32, past: i32): void {
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * <usize>Tk << 2;
    const seen = min(Tk, past + r % T + 1);
    let j = 0;
    let mx: f32 = -Infinity;
    if (seen >= 4) {
      let mv = v128.load(s + o);
      for (j = 4; j + 4 <= seen; j += 4) mv = f32x4.max(mv, v128.load(s + o + (<usize>j << 2)));
      mx = max4(mv);
    }
    for (; j < seen; j++) mx = max(mx, load<f32>(s + o + (<usize>j << 2)));
    const sc = f32x4.splat(scale), mxv = f32x4.splat(mx);
    let sv = f32x4.splat(0);
    let tail: f32 = 0;
    for (j = 0; j + 4 <= seen; j += 4) {
      const e = exp4(f32x4.mul(sc, f32x4.sub(v128.load(s + o + (<usize>j << 2)), mxv)));
      v128.store(y + o + (<usize>j << 2), e);
      sv = f32x4.add(sv, e);
    }
    for (; j < seen; j++) {
      const e = f32x4.extract_lane(exp4(f32x4.splat(scale * (load<f32>(s + o + (<usize>j << 2)) - mx))), 0);
      store<f32>(y + o + (<usize>j << 2), e);
      tail += e;
    }
    const inv = f32x4.splat(1.0 / (sum4(sv) + tail));
    for (j = 0; j + 4 <= seen; j += 4) v128.store(y + o + (<usize>j << 2), f32x4.mul(v128.load(y + o + (<usize>j << 2)), inv));
    for (; j < seen; j++) store<f32>(y + o + (<usize>j << 2), load<f32>(y + o + (<usize>j << 2)) * f32x4.extract_lane(inv, 0));
    if (seen < Tk) memory.fill(y + o + (<usize>seen << 2), 0, <usize>(Tk - seen) << 2);
  }
}

// ds = scale y (dy - sum_j dy_j y_j): the softmax Jacobian (masked keys have y = 0).
export function causalSoftmaxGrad(dy: usize, y: usize, ds: usize, rows: i32, Tk: i32, scale: f32): void {
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * <usize>Tk << 2;
    let dv = f32x4.splat(0);
    let dot: f32 = 0;
    let j = 0;
    for (; j + 4 <= Tk; j += 4) dv = f32x4.add(dv, f32x4.mul(v128.load(dy + o + (<usize>j << 2)), v128.load(y + o + (<usize>j << 2))));
    for (; j < Tk; j++) dot += load<f32>(dy + o + (<usize>j << 2)) * load<f32>(y + o + (<usize>j << 2));
    dot += sum4(dv);
    const d = f32x4.splat(dot), sc = f32x4.splat(scale);
    for (j = 0; j + 4 <= Tk; j += 4) {
      const q = o + (<usize>j << 2);
      v128.store(ds + q, f32x4.mul(f32x4.mul(sc, v128.load(y + q)), f32x4.sub(v128.load(dy + q), d)));
    }
    for (; j < Tk; j++) {
      const q = o + (<usize>j << 2);
      store<f32>(ds + q, scale * load<f32>(y + q) * (load<f32>(dy + q) - dot));
    }
  }
}

// One AdamW step (PyTorch's formulation, decoupled weight decay) over n floats:
// m1 = b1 m + (1 - b1) g, v1 = b2 v + (1 - b2) g^2, p1 = p decay - stepSize m1 / (sqrt(v1) / sqrtBc2 + eps).
@inline function adamwAt(p: v128, g: v128, m: v128, v: v128, b1: v128, c1: v128, b2: v128, c2: v128,
                         decay: v128, stepSize: v128, invBc2: v128, eps: v128, p1: usize, m1: usize, v1: usize): void {
  const mi = f32x4.add(f32x4.mul(b1, m), f32x4.mul(c1, g));
  const vi = f32x4.add(f32x4.mul(b2, v), f32x4.mul(c2, f32x4.mul(g, g)));
  v128.store(m1, mi);
  v128.store(v1, vi);
  const denom = f32x4.add(f32x4.mul(f32x4.sqrt(vi), invBc2), eps);
  v128.store(p1, f32x4.sub(f32x4.mul(p, decay), f32x4.div(f32x4.mul(stepSize, mi), denom)));
}

// The caller passes 1 - beta and 1 / sqrt(1 - beta2^t) computed in double: 1 - 0.999f in
// float32 is off by 1.3e-5 relative, which would skew every step by half that.
export function adamw(p: usize, g: usize, m: usize, v: usize, p1: usize, m1: usize, v1: usize, n: i32,
                      beta1: f32, oneMinusBeta1: f32, beta2: f32, oneMinusBeta2: f32, eps: f32, decay: f32, stepSize: f32, invSqrtBc2: f32): void {
  const b1 = f32x4.splat(beta1), c1 = f32x4.splat(oneMinusBeta1), b2 = f32x4.splat(beta2), c2 = f32x4.splat(oneMinusBeta2);
  const dv = f32x4.splat(decay), ss = f32x4.splat(stepSize), ib = f32x4.splat(invSqrtBc2), ev = f32x4.splat(eps);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    adamwAt(v128.load(p + o), v128.load(g + o), v128.load(m + o), v128.load(v + o), b1, c1, b2, c2, dv, ss, ib, ev, p1 + o, m1 + o, v1 + o);
  }
  for (; i < n; i++) {
    // The tail one lane at a time through the same arithmetic (lanes 1-3 are scratch).
    const o = <usize>i << 2;
    const sp = f32x4.splat(load<f32>(p + o)), sg = f32x4.splat(load<f32>(g + o)), sm = f32x4.splat(load<f32>(m + o)), sv = f32x4.splat(load<f32>(v + o));
    const mi = f32x4.add(f32x4.mul(b1, sm), f32x4.mul(c1, sg));
    const vi = f32x4.add(f32x4.mul(b2, sv), f32x4.mul(c2, f32x4.mul(sg, sg)));
    const pi = f32x4.sub(f32x4.mul(sp, dv), f32x4.div(f32x4.mul(ss, mi), f32x4.add(f32x4.mul(f32x4.sqrt(vi), ib), ev)));
    store<f32>(m1 + o, f32x4.extract_lane(mi, 0));
    store<f32>(v1 + o, f32x4.extract_lane(vi, 0));
    store<f32>(p1 + o, f32x4.extract_lane(pi, 0));
  }
}

// C[m, n] = op(A) B for one matrix: B row-major [k, n]; A row-major [m, k], or [k, m] when
// transA. For the many small products of attention (48 per call at 64 x 64 x 32), where an
// XNNPACK call per product (operator creation and weight packing each time) cost twice the
// arithmetic. Register-blocked 4 rows x 8 columns: per step of p, two vector loads of B, four
// splats of A, eight multiply-adds. Sums run in p order, like a naive loop.
export function sgemm(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, transA: bool): void {
  const sr: usize = transA ? 4 : <usize>k << 2; // bytes between rows of op(A)
  const sp: usize = transA ? <usize>m << 2 : 4; // bytes between steps of p along a row
  const ldb: usize = <usize>n << 2;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const ai = a + <usize>i * sr;
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      let ap = ai, bp = b + (<usize>j << 2);
      for (let p = 0; p < k; p++) {
        const b0 = v128.load(bp), b1 = v128.load(bp, 16);
        const a0 = v128.load32_splat(ap), a1 = v128.load32_splat(ap + sr);
        const a2 = v128.load32_splat(ap + 2 * sr), a3 = v128.load32_splat(ap + 3 * sr);
        c00 = f32x4.add(c00, f32x4.mul(a0, b0)); c01 = f32x4.add(c01, f32x4.mul(a0, b1));
        c10 = f32x4.add(c10, f32x4.mul(a1, b0)); c11 = f32x4.add(c11, f32x4.mul(a1, b1));
        c20 = f32x4.add(c20, f32x4.mul(a2, b0)); c21 = f32x4.add(c21, f32x4.mul(a2, b1));
        c30 = f32x4.add(c30, f32x4.mul(a3, b0)); c31 = f32x4.add(c31, f32x4.mul(a3, b1));
        ap += sp;
        bp += ldb;
      }
      const cp = c + ((<usize>i * <usize>n + <usize>j) << 2);
      v128.store(cp, c00); v128.store(cp, c01, 16);
      v128.store(cp + ldb, c10); v128.store(cp + ldb, c11, 16);
      v128.store(cp + 2 * ldb, c20); v128.store(cp + 2 * ldb, c21, 16);
      v128.store(cp + 3 * ldb, c30); v128.store(cp + 3 * ldb, c31, 16);
    }
    for (; j < n; j++) {
      for (let r = 0; r < 4; r++) gemmDot(ai + <usize>r * sr, sp, b + (<usize>j << 2), ldb, k, c + (((<usize>(i + r)) * <usize>n + <usize>j) << 2));
    }
  }
  for (; i < m; i++) {
    for (let j = 0; j < n; j++) gemmDot(a + <usize>i * sr, sp, b + (<usize>j << 2), ldb, k, c + ((<usize>i * <usize>n + <usize>j) << 2));
  }
}

// One element of C: sum over p of A(p) B(p), by strides (the edges of sgemm).
@inline function gemmDot(ap: usize, sp: usize, bp: usize, ldb: usize, k: i32, out: usize): void {
  let s: f32 = 0;
  for (let p = 0; p < k; p++) {
    s += load<f32>(ap) * load<f32>(bp);
    ap += sp;
    bp += ldb;
  }
  store<f32>(out, s);
}

// log sum_j e^(z_j) of one row of V logits (max-shifted, so no overflow).
@inline function logSumExp(z: usize, V: i32): f32 {
  let j = 0;
  let mx: f32 = -Infinity;
  if (V >= 4) {
    let mv = v128.load(z);
    for (j = 4; j + 4 <= V; j += 4) mv = f32x4.max(mv, v128.load(z + (<usize>j << 2)));
    mx = max4(mv);
  }
  for (; j < V; j++) mx = max(mx, load<f32>(z + (<usize>j << 2)));
  const mxv = f32x4.splat(mx);
  let sv = f32x4.splat(0);
  for (j = 0; j + 4 <= V; j += 4) sv = f32x4.add(sv, exp4(f32x4.sub(v128.load(z + (<usize>j << 2)), mxv)));
  let s = sum4(sv);
  for (; j < V; j++) s += f32x4.extract_lane(exp4(f32x4.splat(load<f32>(z + (<usize>j << 2)) - mx)), 0);
  return mx + Mathf.log(s);
}

// Softmax cross-entropy per row of logits [N, V] against labels [N] (int32, checked by the
// caller): loss_n = logsumexp(z_n) - z_n[label_n].
export function crossEntropy(logits: usize, labels: usize, loss: usize, N: i32, V: i32): void {
  for (let n = 0; n < N; n++) {
    const z = logits + (<usize>n * <usize>V << 2);
    store<f32>(loss + (<usize>n << 2), logSumExp(z, V) - load<f32>(z + (<usize>load<i32>(labels + (<usize>n << 2)) << 2)));
  }
}

// dz_n = dy_n (softmax(z_n) - onehot(label_n)).
export function crossEntropyGrad(dy: usize, logits: usize, labels: usize, dz: usize, N: i32, V: i32): void {
  for (let n = 0; n < N; n++) {
    const o = <usize>n * <usize>V << 2;
    const lse = f32x4.splat(logSumExp(logits + o, V));
    const d: f32 = load<f32>(dy + (<usize>n << 2));
    const dv = f32x4.splat(d);
    let j = 0;
    for (; j + 4 <= V; j += 4) {
      const q = o + (<usize>j << 2);
      v128.store(dz + q, f32x4.mul(dv, exp4(f32x4.sub(v128.load(logits + q), lse))));
    }
    for (; j < V; j++) {
      const q = o + (<usize>j << 2);
      store<f32>(dz + q, d * f32x4.extract_lane(exp4(f32x4.sub(f32x4.splat(load<f32>(logits + q)), lse)), 0));
    }
    const at = dz + o + (<usize>load<i32>(labels + (<usize>n << 2)) << 2);
    store<f32>(at, load<f32>(at) - d);
  }
}

// sum_i x_i^2 over n floats, in 4 float32 lanes and then a double: one tensor's share of a
// global gradient norm.
export function sumOfSquares(x: usize, n: i32): f64 {
  let acc = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    acc = f32x4.add(acc, f32x4.mul(v, v));
  }
  let s: f64 = <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) + <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
  for (; i < n; i++) {
    const v = <f64>load<f32>(x + (<usize>i << 2));
    s += v * v;
  }
  return s;
}
