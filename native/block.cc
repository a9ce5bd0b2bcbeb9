// llmlab fused transformer block: a GPT-2 (pre-LayerNorm) block's forward and backward as one
// native call each, on the wasm heap, for the training step of src/model/gpt.ts.
//
// Why: composed of tfjs ops a block is ~60 kernels forward and ~120 backward, each paying the
// engine's dispatch and tape bookkeeping (~65 us) and a pass over memory; at the baby GPT's
// sizes (768 tokens x 128 wide) that overhead, not the matrix products, took most of a step.
// Here the products go to the addon's GEMM kernels (native/gemm.cc), attention's register tiles
// skip the masked keys (native/attention.cc), and the elementwise work (layer norm, exact GELU,
// causal softmax, residual adds) is done in the same call, with AVX2 for the transcendentals.
//
// Threads: everything but attention works row by row, and attention within a sequence, so
// each sequence of the batch goes through the whole block on one thread of the pool (its rows
// stay in that core's L2 from one product to the next), against weights packed once per call,
// and no thread waits for another between the block's steps. The weight gradients, which sum
// over every sequence, are posted to the pool as whole tasks (Pool::post). With fewer sequences
// than threads some threads idle: every batch here is >= 8 sequences, on 2 to a few threads.
//
// The math is the textbook one (Vaswani et al. 2017; GPT-2's pre-LN block; the backward passes
// as derived in Karpathy's llm.c train_gpt2.c, which this follows in structure, not in code):
//   forward   ln1 = LN(x; g1)           qkv = ln1 Wqkv          per (b, h): P = softmax_causal(q k^T / sqrt(D)), a = P v
//             x2 = x + a Wproj          ln2 = LN(x2; g2)        f = ln2 Wfc, u = gelu(f)        y = x2 + u Wfp
//   backward  the same in reverse; what it needs is saved by the forward (ln1, ln2, their
//             per-row mean and 1/std, qkv, P, a, x2, u = gelu(f) and gelu'(f)), so nothing is recomputed.
// No biases (nanoGPT's bias=False), no dropout, no KV cache: the caller (src/backend/block.ts)
// uses this only for such blocks and the tfjs ops otherwise.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "attention.h"
#include "block.h"
#include "vec8.h"

namespace llmlab {
namespace block {

size_t fwd_size(int slot, const Dims& d) {
  const size_t N = d.N(), C = d.C;
  switch (slot) {
    case X: case Y: case LN1: case ATTY: case X2: case LN2: return N * C;
    case G1: case G2: return C;
    case WQKV: return C * 3 * C;
    case WPROJ: return C * C;
    case WFC: case WFP: return C * 4 * C;
    case STATS1: case STATS2: return 2 * N;
    case QKV: return N * 3 * C;
    case ATT: return static_cast<size_t>(d.B) * d.H * d.T * d.T;
    case DGELU: case FCHG: return N * 4 * C;
  }
  return 0;
}

// Slots of the backward call: 0 is dy, 1..7 the forward's inputs (forward slot + 1), 8..17 its
// saved activations (the forward's own slot numbers: dy takes y's place), then the gradients.
size_t bwd_size(int slot, const Dims& d) {
  if (slot == DY) return fwd_size(Y, d);
  if (slot <= Y) return fwd_size(slot - 1, d);
  if (slot < NFWD) return fwd_size(slot, d);
  static const int of[] = {X, G1, WQKV, WPROJ, G2, WFC, WFP};
  return fwd_size(of[slot - NFWD], d);
}

#ifdef LLMLAB_X86
namespace {

// erf(z) by Abramowitz & Stegun 7.1.26 (|error| <= 1.5e-7; tfjs' Erf formula), given e = e^(-z^2).
AVX2 inline __m256 erf8(__m256 z, __m256 e) {
  const __m256 sign = _mm256_and_ps(z, _mm256_castsi256_ps(_mm256_set1_epi32(static_cast<int>(0x80000000u))));
  const __m256 az = _mm256_andnot_ps(sign, z);
  const __m256 t = _mm256_div_ps(_mm256_set1_ps(1.f), _mm256_fmadd_ps(az, _mm256_set1_ps(0.3275911f), _mm256_set1_ps(1.f)));
  __m256 p = _mm256_set1_ps(1.061405429f);
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-1.453152027f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(1.421413741f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-0.284496736f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(0.254829592f));
  const __m256 y = _mm256_fnmadd_ps(_mm256_mul_ps(p, t), e, _mm256_set1_ps(1.f));
  return _mm256_or_ps(y, sign);
}

// The same formulas one float at a time, for the tails of rows.
inline float erf1(float z) {
  const float az = std::fabs(z), t = 1.f / (1.f + 0.3275911f * az);
  const float p = ((((1.061405429f * t - 1.453152027f) * t + 1.421413741f) * t - 0.284496736f) * t + 0.254829592f) * t;
  const float y = 1.f - p * std::exp(-az * az);
  return z < 0 ? -y : y;
}

constexpr float kSqrtHalf = 0.70710678118654752f, kInvSqrt2Pi = 0.39894228040143268f;

// Phi(v), the standard normal CDF, and e = exp(-v^2 / 2) (so phi(v) = e / sqrt(2 pi)), eight at a time.
AVX2 inline __m256 normal_cdf8(__m256 v, __m256* e) {
  const __m256 z = _mm256_mul_ps(v, _mm256_set1_ps(kSqrtHalf));
  *e = exp8(_mm256_mul_ps(_mm256_sub_ps(_mm256_setzero_ps(), z), z));
  return _mm256_mul_ps(_mm256_set1_ps(0.5f), _mm256_add_ps(_mm256_set1_ps(1.f), erf8(z, *e)));
}

// u = x Phi(x) (exact GELU), and in place of x its derivative Phi(x) + x phi(x), which is all the
// backward needs of x: computed here from the same exp and erf, the backward is one multiply.
AVX2 void gelu_forward(float* x, float* u, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256 v = _mm256_loadu_ps(x + i);
    __m256 e;
    const __m256 cdf = normal_cdf8(v, &e);
    _mm256_storeu_ps(u + i, _mm256_mul_ps(v, cdf));
    _mm256_storeu_ps(x + i, _mm256_fmadd_ps(_mm256_mul_ps(v, _mm256_set1_ps(kInvSqrt2Pi)), e, cdf));
  }
  for (; i < n; i++) {
    const float v = x[i], cdf = 0.5f * (1.f + erf1(v * kSqrtHalf));
    u[i] = v * cdf;
    x[i] = cdf + v * kInvSqrt2Pi * std::exp(-0.5f * v * v);
  }
}

// d *= g, eight at a time.
AVX2 void multiply_into(const float* g, float* d, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(d + i, _mm256_mul_ps(_mm256_loadu_ps(d + i), _mm256_loadu_ps(g + i)));
  for (; i < n; i++) d[i] *= g[i];
}

// Sum of 8 independent partial sums, so the compiler can keep the additions in vector lanes.
inline float row_sum(const float* x, int C) {
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int j = 0;
  for (; j + 8 <= C; j += 8)
    for (int u = 0; u < 8; u++) acc[u] += x[j + u];
  float s = 0;
  for (; j < C; j++) s += x[j];
  for (float a : acc) s += a;
  return s;
}

// Rows [r0, r1): out = (x - mean) / sqrt(var + eps) * g; stats[2r] = mean, stats[2r+1] = 1/std.
void ln_forward(const float* x, const float* g, float* out, float* stats, int r0, int r1, int C, float eps) {
  static thread_local std::vector<float> tmp;  // per thread, kept between calls
  tmp.resize(C);
  for (int r = r0; r < r1; r++) {
    const float* xr = x + static_cast<size_t>(r) * C;
    const float mean = row_sum(xr, C) / C;
    for (int j = 0; j < C; j++) tmp[j] = (xr[j] - mean) * (xr[j] - mean);
    const float rstd = 1.f / std::sqrt(row_sum(tmp.data(), C) / C + eps);
    float* o = out + static_cast<size_t>(r) * C;
    for (int j = 0; j < C; j++) o[j] = (xr[j] - mean) * rstd * g[j];
    stats[2 * r] = mean;
    stats[2 * r + 1] = rstd;
  }
}

// Rows [r0, r1) of dx = dres + d/dx LN(x; g) . dout; dg (a partial sum over these rows) += dout * xhat.
void ln_backward(const float* dout, const float* x, const float* stats, const float* g, const float* dres, float* dx,
                 float* dg, int r0, int r1, int C) {
  static thread_local std::vector<float> xhat, dn, prod;  // per thread, kept between calls
  for (auto* v : {&xhat, &dn, &prod}) v->resize(C);
  for (int r = r0; r < r1; r++) {
    const size_t o = static_cast<size_t>(r) * C;
    const float mean = stats[2 * r], rstd = stats[2 * r + 1];
    for (int j = 0; j < C; j++) {
      xhat[j] = (x[o + j] - mean) * rstd;
      dn[j] = dout[o + j] * g[j];
      prod[j] = dn[j] * xhat[j];
      dg[j] += dout[o + j] * xhat[j];
    }
    const float m1 = row_sum(dn.data(), C) / C, m2 = row_sum(prod.data(), C) / C;
    for (int j = 0; j < C; j++) dx[o + j] = dres[o + j] + (dn[j] - m1 - xhat[j] * m2) * rstd;
  }
}

// The B operands (weights) of a call's four products by rows, packed into inst.weights once for
// all sequences (gemm_rows), a product per thread.
void pack_weights(Instance& inst, const Gemm* const (&w)[4]) {
  for (int i = 0; i < 4; i++) inst.weights[i].resize(packed_size(*w[i]));
  parallel_for(inst, 4, inst.threads, [&](int i0, int i1) {
    for (int i = i0; i < i1; i++) pack_b(*w[i], inst.weights[i].data());
  });
}

// A weight gradient: no later step of the backward reads it, so it goes to the pool as a task
// (Pool::post), done start to end by one thread while the others go on (dWfp, posted first,
// while the sequences go through the backward). Same sums in the same order as gemm() on any
// number of threads.
void post_gemm(Instance& inst, const Gemm& g) {
  inst.pool.post(inst.threads, [&inst, g](bool on_caller) {
    if (on_caller) gemm(inst, g);
    else gemm_tile(g, 0, g.m, 0, g.n);
  });
}

}  // namespace

void forward(Instance& inst, const Dims& d, float* const* p) {
  const int N = d.N(), C = d.C, T = d.T, H = d.H, D = d.D();
  const float scale = 1.f / std::sqrt(static_cast<float>(D));
  const Gemm qkv{N, 3 * C, C, p[LN1], C, false, p[WQKV], 3 * C, false, p[QKV], 3 * C, false},
      proj{N, C, C, p[ATTY], C, false, p[WPROJ], C, false, p[X2], C, true},
      fc{N, 4 * C, C, p[LN2], C, false, p[WFC], 4 * C, false, p[DGELU], 4 * C, false},  // f, until gelu_forward
      fp{N, C, 4 * C, p[FCHG], 4 * C, false, p[WFP], C, false, p[Y], C, true};
  const Gemm* const w[] = {&qkv, &proj, &fc, &fp};
  pack_weights(inst, w);
  parallel_for(inst, d.B, inst.threads, [&](int b0, int b1) {  // sequences [b0, b1): rows [r0, r1)
    static thread_local HeadScratch scratch;
    const int r0 = b0 * T, r1 = b1 * T;
    const size_t o = static_cast<size_t>(r0) * C, n = static_cast<size_t>(r1 - r0) * C;
    ln_forward(p[X], p[G1], p[LN1], p[STATS1], r0, r1, C, d.eps);
    gemm_rows(qkv, inst.weights[0].data(), r0, r1);
    for (int b = b0; b < b1; b++)
      for (int h = 0; h < H; h++) {
        const size_t ob = static_cast<size_t>(b) * T * C;
        const float* q = p[QKV] + ob * 3 + h * D;
        attention_forward(q, q + C, q + 2 * C, 3 * C, p[ATT] + static_cast<size_t>(b * H + h) * T * T, p[ATTY] + ob + h * D,
                          C, T, D, scale, scratch);
      }
    std::copy(p[X] + o, p[X] + o + n, p[X2] + o);
    gemm_rows(proj, inst.weights[1].data(), r0, r1);
    ln_forward(p[X2], p[G2], p[LN2], p[STATS2], r0, r1, C, d.eps);
    gemm_rows(fc, inst.weights[2].data(), r0, r1);
    gelu_forward(p[DGELU] + o * 4, p[FCHG] + o * 4, n * 4);
    std::copy(p[X2] + o, p[X2] + o + n, p[Y] + o);
    gemm_rows(fp, inst.weights[3].data(), r0, r1);
  });
}

void backward(Instance& inst, const Dims& d, float* const* p) {
  const int N = d.N(), C = d.C, T = d.T, H = d.H, D = d.D();
  const float scale = 1.f / std::sqrt(static_cast<float>(D));
  // The backward's slots (see bwd_size): inputs one past their forward slot, saved ones at theirs.
  const float *dy = p[DY], *x = p[X + 1], *g1 = p[G1 + 1], *wqkv = p[WQKV + 1], *wproj = p[WPROJ + 1],
              *g2 = p[G2 + 1], *wfc = p[WFC + 1], *wfp = p[WFP + 1];
  const float *ln1 = p[LN1], *stats1 = p[STATS1], *qkv = p[QKV], *att = p[ATT], *atty = p[ATTY], *x2 = p[X2],
              *ln2 = p[LN2], *stats2 = p[STATS2], *dgelu = p[DGELU], *fchg = p[FCHG];
  // Scratch kept between calls by the calling thread. The pool's workers see these through
  // the pointers below: a thread_local named inside a lambda would be the worker's own copy.
  static thread_local std::vector<float> scratch;
  const size_t ldg = round16(C);  // each sequence's LayerNorm gain partials on cache lines of their own
  scratch.resize(static_cast<size_t>(N) * C * 10 + 2 * d.B * ldg + 16);
  float* const dfch = scratch.data();                      // N x 4C
  float* const dln = dfch + static_cast<size_t>(N) * 4 * C;   // N x C
  float* const dx2 = dln + static_cast<size_t>(N) * C;        // N x C
  float* const datty = dx2 + static_cast<size_t>(N) * C;      // N x C
  float* const dqkv = datty + static_cast<size_t>(N) * C;     // N x 3C
  float* const after = dqkv + static_cast<size_t>(N) * 3 * C;
  float* const dg2part = after + (16 - reinterpret_cast<uintptr_t>(after) / sizeof(float) % 16) % 16;  // B x ldg
  float* const dg1part = dg2part + d.B * ldg;                                                          // B x ldg
  std::fill(dg2part, dg2part + 2 * d.B * ldg, 0.f);

  post_gemm(inst, Gemm{4 * C, C, N, fchg, 4 * C, true, dy, C, false, p[DWFP], C, false});
  const Gemm dfc{N, 4 * C, C, dy, C, false, wfp, C, true, dfch, 4 * C, false},
      dln2{N, C, 4 * C, dfch, 4 * C, false, wfc, 4 * C, true, dln, C, false},
      dat{N, C, C, dx2, C, false, wproj, C, true, datty, C, false},
      dln1{N, C, 3 * C, dqkv, 3 * C, false, wqkv, 3 * C, true, dln, C, false};
  const Gemm* const w[] = {&dfc, &dln2, &dat, &dln1};
  pack_weights(inst, w);
  parallel_for(inst, d.B, inst.threads, [&](int b0, int b1) {  // sequences [b0, b1): rows [r0, r1)
    static thread_local HeadScratch hs;
    const int r0 = b0 * T, r1 = b1 * T;
    const size_t o = static_cast<size_t>(r0) * C, n = static_cast<size_t>(r1 - r0) * C;
    // LayerNorm backward sequence by sequence: each has its gain partial, whoever runs it.
    const auto ln_back = [&](const float* xin, const float* stats, const float* g, const float* dres, float* dx, float* part) {
      for (int b = b0; b < b1; b++) ln_backward(dln, xin, stats, g, dres, dx, part + b * ldg, b * T, (b + 1) * T, C);
    };
    // MLP: y = x2 + gelu(ln2 Wfc) Wfp.
    gemm_rows(dfc, inst.weights[0].data(), r0, r1);
    multiply_into(dgelu + o * 4, dfch + o * 4, n * 4);  // through GELU
    gemm_rows(dln2, inst.weights[1].data(), r0, r1);
    ln_back(x2, stats2, g2, dy, dx2, dg2part);
    // Attention: x2 = x + attn(ln1) Wproj.
    gemm_rows(dat, inst.weights[2].data(), r0, r1);
    for (int b = b0; b < b1; b++)
      for (int h = 0; h < H; h++) {
        const size_t ob = static_cast<size_t>(b) * T * C;
        const float* q = qkv + ob * 3 + h * D;
        float* dq = dqkv + ob * 3 + h * D;
        attention_backward(q, q + C, q + 2 * C, 3 * C, att + static_cast<size_t>(b * H + h) * T * T, datty + ob + h * D, C,
                           dq, dq + C, dq + 2 * C, T, D, scale, hs);
      }
    gemm_rows(dln1, inst.weights[3].data(), r0, r1);
    ln_back(x, stats1, g1, dx2, p[DX], dg1part);
  });
  post_gemm(inst, Gemm{C, 4 * C, N, ln2, C, true, dfch, 4 * C, false, p[DWFC], 4 * C, false});
  post_gemm(inst, Gemm{C, C, N, atty, C, true, dx2, C, false, p[DWPROJ], C, false});
  post_gemm(inst, Gemm{C, 3 * C, N, ln1, C, true, dqkv, 3 * C, false, p[DWQKV], 3 * C, false});
  // The gains' gradients: sums of the sequences' partials in sequence order (whatever thread
  // took which sequence, the same sum: a run repeats to the bit).
  std::fill(p[DG1], p[DG1] + C, 0.f);
  std::fill(p[DG2], p[DG2] + C, 0.f);
  for (int b = 0; b < d.B; b++)
    for (int j = 0; j < C; j++) p[DG1][j] += dg1part[b * ldg + j], p[DG2][j] += dg2part[b * ldg + j];
  inst.pool.wait_tasks();  // the weight gradients' inputs (dfch, dx2, dqkv in scratch) live until here
}

#endif  // LLMLAB_X86

}  // namespace block
}  // namespace llmlab
