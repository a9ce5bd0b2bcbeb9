// Causal self-attention of one (batch, head), forward and backward (native/attention.h), for the
// fused transformer block: T queries against T keys of width D. The products are small (64 x 64
// x 32 for the baby GPT) and go straight to the GEMM's register tile (micro_6x16, native/gemm.h),
// reading A through strides and B in place: packing, as the GEMM does, cost more than the
// arithmetic at these sizes. Row tiles skip the keys they cannot see. K (forward) and V
// (backward) are transposed once per head into a buffer padded to 16 columns; q, k, v, da and the
// results are used in place when D is a multiple of 16 and copied through padded buffers
// otherwise, so every 16-wide load stays inside its buffer whatever D and T are.
#include "attention.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "gemm.h"

namespace llmlab {

#ifdef LLMLAB_X86
namespace {

// One row of P = softmax(scale * s) over keys 0..last, zero beyond (the causal mask), in place.
// Whole vectors while they fit in the row (lanes past `last` masked), single floats after.
AVX2 void causal_softmax_row(float* s, int last, int T, float scale) {
  const int n = last + 1, vend = std::min(n + 7, T) / 8 * 8;  // floats covered by whole vectors
  __m256 m = _mm256_set1_ps(-INFINITY);
  for (int j = 0; j < vend; j += 8) m = _mm256_max_ps(m, _mm256_blendv_ps(m, _mm256_loadu_ps(s + j), lanes_below(j, n)));
  float mx = hmax8(m);
  for (int j = vend; j < n; j++) mx = std::max(mx, s[j]);
  const __m256 sc = _mm256_set1_ps(scale), m8 = _mm256_set1_ps(mx);
  __m256 acc = _mm256_setzero_ps();
  for (int j = 0; j < vend; j += 8) {
    const __m256 e = _mm256_and_ps(exp8(_mm256_mul_ps(sc, _mm256_sub_ps(_mm256_loadu_ps(s + j), m8))), lanes_below(j, n));
    _mm256_storeu_ps(s + j, e);
    acc = _mm256_add_ps(acc, e);
  }
  float sum = hsum8(acc);
  for (int j = vend; j < n; j++) sum += (s[j] = std::exp(scale * (s[j] - mx)));
  const float inv = 1.f / sum;
  const __m256 inv8 = _mm256_set1_ps(inv);
  for (int j = 0; j < vend; j += 8) _mm256_storeu_ps(s + j, _mm256_mul_ps(_mm256_loadu_ps(s + j), inv8));
  for (int j = vend; j < n; j++) s[j] *= inv;
  for (int j = std::max(n, vend); j < T; j++) s[j] = 0.f;
}

// C[m x n] = A B with rows tiled by 6 and columns by 16; row tile i0 sums p over [p0(i0), p1(i0))
// and covers columns [0, ncols(i0)): the causal ranges. A(r, p) at a[r * ars + p * aps].
template <class P0, class P1, class NCols>
AVX2 void tiled(int m, int n, const float* a, long ars, long aps, const float* b, long ldb, float* c, long ldc, P0 p0,
                P1 p1, NCols ncols) {
  for (int i0 = 0; i0 < m; i0 += MR) {
    const int mr = std::min(MR, m - i0), k0 = p0(i0), k1 = p1(i0 + mr - 1), nc = std::min(n, ncols(i0 + mr - 1));
    for (int j0 = 0; j0 < nc; j0 += NR)
      micro_6x16(k1 - k0, a + i0 * ars + k0 * aps, ars, aps, b + k0 * ldb + j0, ldb, c + i0 * ldc + j0, ldc, false,
                 mr, std::min(NR, nc - j0));
  }
}

// dst[r * ldd + j] = src[r * lds + j] for j < D, zero for D <= j < ldd (padding).
void copy_rows(const float* src, long lds, float* dst, int ldd, int rows, int D) {
  for (int r = 0; r < rows; r++) {
    std::copy(src + r * lds, src + r * lds + D, dst + static_cast<long>(r) * ldd);
    std::fill(dst + static_cast<long>(r) * ldd + D, dst + static_cast<long>(r + 1) * ldd, 0.f);
  }
}

// dst[d * ldd + j] = src[j * lds + d]: rows x D transposed, columns past `rows` zero.
void transpose_rows(const float* src, long lds, float* dst, int ldd, int rows, int D) {
  std::fill(dst, dst + static_cast<long>(D) * ldd, 0.f);
  for (int j = 0; j < rows; j++)
    for (int d = 0; d < D; d++) dst[static_cast<long>(d) * ldd + j] = src[j * lds + d];
}

// A head's T x D operand as the 16-wide tiles read it: in place when D is a multiple of 16,
// else copied into buf with rows padded by zeros to round16(D).
struct Operand {
  const float* p;
  long ld;
};
Operand padded(const float* src, long ld, int T, int D, std::vector<float>& buf) {
  if (D % NR == 0) return {src, ld};
  const int Dp = round16(D);
  buf.resize(static_cast<size_t>(T) * Dp);
  copy_rows(src, ld, buf.data(), Dp, T, D);
  return {buf.data(), Dp};
}

// Where a T x D result is written: in place when D is a multiple of 16, else into buf
// (padded rows) and copied out by done().
struct Result {
  float* p;
  long ld;
  float* dst;
  long ldd;
  int T, D;
  void done() const {
    if (p != dst)
      for (int i = 0; i < T; i++) std::copy(p + i * ld, p + i * ld + D, dst + i * ldd);
  }
};
Result result(float* dst, long ldd, int T, int D, std::vector<float>& buf) {
  if (D % NR == 0) return {dst, ldd, dst, ldd, T, D};
  buf.resize(static_cast<size_t>(T) * round16(D));
  return {buf.data(), round16(D), dst, ldd, T, D};
}

// One row of the softmax backward, in place: dP_j <- scale P_j (dP_j - sum_k P_k dP_k) for
// j <= last, 0 beyond (up to T).
AVX2 void softmax_backward_row(const float* P, float* dP, int last, int T, float scale) {
  const int n = last + 1, vend = std::min(n + 7, T) / 8 * 8;  // P is 0 past `last`, so whole vectors may cross it
  __m256 acc = _mm256_setzero_ps();
  for (int j = 0; j < vend; j += 8)
    acc = _mm256_fmadd_ps(_mm256_loadu_ps(P + j), _mm256_and_ps(_mm256_loadu_ps(dP + j), lanes_below(j, n)), acc);
  float dot = hsum8(acc);
  for (int j = vend; j < n; j++) dot += P[j] * dP[j];
  const __m256 d8 = _mm256_set1_ps(dot), s8 = _mm256_set1_ps(scale);
  for (int j = 0; j < vend; j += 8) {
    const __m256 g = _mm256_mul_ps(_mm256_mul_ps(s8, _mm256_loadu_ps(P + j)), _mm256_sub_ps(_mm256_loadu_ps(dP + j), d8));
    _mm256_storeu_ps(dP + j, _mm256_and_ps(g, lanes_below(j, n)));
  }
  for (int j = vend; j < n; j++) dP[j] = scale * P[j] * (dP[j] - dot);
  for (int j = std::max(n, vend); j < T; j++) dP[j] = 0.f;
}

}  // namespace

AVX2 void attention_forward(const float* q, const float* k, const float* v, long ld, float* P, float* a, long lda, int T,
                            int D, float scale, HeadScratch& s) {
  const int Tp = round16(T), Dp = round16(D);
  s.kt.resize(static_cast<size_t>(D) * Tp);
  transpose_rows(k, ld, s.kt.data(), Tp, T, D);
  const Operand vv = padded(v, ld, T, D, s.vp);
  const Result out = result(a, lda, T, D, s.out);
  const auto zero = [](int) { return 0; };
  const auto upto = [](int last) { return last + 1; };  // keys 0..last of a tile's last row
  // Scores of keys beyond a row's own get overwritten with 0 by the softmax.
  tiled(T, T, q, ld, 1, s.kt.data(), Tp, P, T, zero, [D](int) { return D; }, upto);
  for (int i = 0; i < T; i++) causal_softmax_row(P + static_cast<size_t>(i) * T, i, T, scale);
  tiled(T, Dp, P, T, 1, vv.p, vv.ld, out.p, out.ld, zero, upto, [Dp](int) { return Dp; });
  out.done();
}

AVX2 void attention_backward(const float* q, const float* k, const float* v, long ld, const float* P, const float* da,
                             long lda, float* dq, float* dk, float* dv, int T, int D, float scale, HeadScratch& s) {
  const int Tp = round16(T), Dp = round16(D);
  s.vt.resize(static_cast<size_t>(D) * Tp);
  s.dP.resize(static_cast<size_t>(T) * T);
  transpose_rows(v, ld, s.vt.data(), Tp, T, D);
  const Operand qq = padded(q, ld, T, D, s.qp), kk = padded(k, ld, T, D, s.kp), dd = padded(da, lda, T, D, s.dap);
  const Result oq = result(dq, ld, T, D, s.dq), ok = result(dk, ld, T, D, s.dk), ov = result(dv, ld, T, D, s.dv);
  float* dP = s.dP.data();
  const auto zero = [](int) { return 0; };
  const auto from = [](int j0) { return j0; };
  const auto upto = [](int last) { return last + 1; };
  const auto all = [T](int) { return T; };
  const auto width = [Dp](int) { return Dp; };
  // dP = da v^T where P is not masked; dv = P^T da (key j from queries i >= j: A(r, p) = P[p][r]).
  tiled(T, T, dd.p, dd.ld, 1, s.vt.data(), Tp, dP, T, zero, [D](int) { return D; }, upto);
  tiled(T, Dp, P, 1, T, dd.p, dd.ld, ov.p, ov.ld, from, all, width);
  for (int i = 0; i < T; i++) softmax_backward_row(P + static_cast<size_t>(i) * T, dP + static_cast<size_t>(i) * T, i, T, scale);
  // dq = dS k over keys 0..i; dk = dS^T q over queries i >= j.
  tiled(T, Dp, dP, T, 1, kk.p, kk.ld, oq.p, oq.ld, zero, upto, width);
  tiled(T, Dp, dP, 1, T, qq.p, qq.ld, ok.p, ok.ld, from, all, width);
  for (const Result* r : {&oq, &ok, &ov}) r->done();
}

#endif  // LLMLAB_X86

}  // namespace llmlab
