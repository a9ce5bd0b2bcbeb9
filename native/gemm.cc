// llmlab_gemm: single-precision GEMM for the wasm backend's BatchMatMul, on the wasm heap.
//
// Why hand-written rather than OpenBLAS: the matrices of a small GPT are small (64x32 to
// 768x512), where a packed 6x16 AVX2/FMA micro-kernel (the BLIS/GotoBLAS structure)
// reaches most of one core's peak, and it needs nothing installed: OpenBLAS would add an
// apt package (libopenblas-dev) to every machine and to CI for no measured gain at these
// sizes on one thread (see bench/train). The AVX2 path is chosen at run time
// (__builtin_cpu_supports), so the addon also loads, slower, on CPUs without AVX2.
// Threads: a persistent pool (native/gemm.h; one per Node environment, started at the first
// product big enough to split, joined when the environment goes away), so a step's ~100
// products do not each pay a thread start. The fused transformer block (native/block.cc)
// runs its products and its per-head attention on the same pool.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "gemm.h"

#ifdef __linux__
#include <sys/mman.h>
#endif

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define LLMLAB_X86 1
#endif

namespace llmlab {

bool g_avx2 = false;

namespace {

// Blocking: B's k rows go KC at a time and its columns NC at a time, so a packed block (128 KB)
// stays in L2 while every row tile of A passes over it (the weight gradients' n = 512, unblocked,
// streamed 512 KB from L3 per row tile).
constexpr int KC = 256, NC = 128;

// The scalar fallback of micro_6x16 (CPUs without AVX2/FMA).
void micro_scalar(int kc, const float* a, long ars, long aps, const float* b, long ldb, float* c, long ldc, bool acc,
                  int mr, int nr) {
  float t[MR * NR] = {0};
  for (int p = 0; p < kc; p++, b += ldb)
    for (int r = 0; r < mr; r++)
      for (int j = 0; j < nr; j++) t[r * NR + j] += a[r * ars + p * aps] * b[j];
  for (int r = 0; r < mr; r++)
    for (int j = 0; j < nr; j++) c[r * ldc + j] = (acc ? c[r * ldc + j] : 0.f) + t[r * NR + j];
}

}  // namespace

#ifdef LLMLAB_X86
namespace {
__attribute__((target("avx2,fma"))) void micro_avx2(int kc, const float* a, long ars, long aps, const float* b, long ldb,
                                                    float* c, long ldc, bool acc, int mr, int nr) {
  const float* ar[MR];
  for (int r = 0; r < MR; r++) ar[r] = a + std::min(r, mr - 1) * ars;  // rows past mr repeat the last
  __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  for (long p = 0, ao = 0; p < kc; p++, ao += aps, b += ldb) {
    const __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
    __m256 x = _mm256_broadcast_ss(ar[0] + ao);
    c00 = _mm256_fmadd_ps(x, b0, c00); c01 = _mm256_fmadd_ps(x, b1, c01);
    x = _mm256_broadcast_ss(ar[1] + ao);
    c10 = _mm256_fmadd_ps(x, b0, c10); c11 = _mm256_fmadd_ps(x, b1, c11);
    x = _mm256_broadcast_ss(ar[2] + ao);
    c20 = _mm256_fmadd_ps(x, b0, c20); c21 = _mm256_fmadd_ps(x, b1, c21);
    x = _mm256_broadcast_ss(ar[3] + ao);
    c30 = _mm256_fmadd_ps(x, b0, c30); c31 = _mm256_fmadd_ps(x, b1, c31);
    x = _mm256_broadcast_ss(ar[4] + ao);
    c40 = _mm256_fmadd_ps(x, b0, c40); c41 = _mm256_fmadd_ps(x, b1, c41);
    x = _mm256_broadcast_ss(ar[5] + ao);
    c50 = _mm256_fmadd_ps(x, b0, c50); c51 = _mm256_fmadd_ps(x, b1, c51);
  }
  const __m256 rows[MR][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
  if (nr == NR) {  // straight from the registers (masked stores are slow on AMD)
    for (int r = 0; r < mr; r++) {
      float* cr = c + r * ldc;
      __m256 x0 = rows[r][0], x1 = rows[r][1];
      if (acc) { x0 = _mm256_add_ps(x0, _mm256_loadu_ps(cr)); x1 = _mm256_add_ps(x1, _mm256_loadu_ps(cr + 8)); }
      _mm256_storeu_ps(cr, x0);
      _mm256_storeu_ps(cr + 8, x1);
    }
    return;
  }
  float t[MR * NR];
  for (int r = 0; r < MR; r++) { _mm256_storeu_ps(t + r * NR, rows[r][0]); _mm256_storeu_ps(t + r * NR + 8, rows[r][1]); }
  for (int r = 0; r < mr; r++)
    for (int j = 0; j < nr; j++) c[r * ldc + j] = (acc ? c[r * ldc + j] : 0.f) + t[r * NR + j];
}
}  // namespace
#endif

void micro_6x16(int kc, const float* a, long ars, long aps, const float* b, long ldb, float* c, long ldc, bool acc,
                int mr, int nr) {
#ifdef LLMLAB_X86
  if (g_avx2) { micro_avx2(kc, a, ars, aps, b, ldb, c, ldc, acc, mr, nr); return; }
#endif
  micro_scalar(kc, a, ars, aps, b, ldb, c, ldc, acc, mr, nr);
}

namespace {

// Columns [jb, jb + NR) (those below j1) of B's k rows [pc, pc + kc) as one k-major panel of NR
// columns, zero padded.
void pack_panel(const Gemm& g, int pc, int kc, int jb, int j1, float* dst) {
  const int nr = std::min(NR, j1 - jb);
  if (nr < NR) std::fill(dst, dst + static_cast<size_t>(kc) * NR, 0.f);
  if (g.tb)  // B^T stored: read its rows (contiguous in p), write the panel's columns
    for (int j = 0; j < nr; j++) {
      const float* src = g.b + static_cast<size_t>(jb + j) * g.ldb + pc;
      for (int p = 0; p < kc; p++) dst[p * NR + j] = src[p];
    }
  else
    for (int p = 0; p < kc; p++) {
      const float* src = g.b + static_cast<size_t>(pc + p) * g.ldb + jb;
      for (int j = 0; j < nr; j++) dst[p * NR + j] = src[j];
    }
}

// C[i0:i1, j0:j1] (+)= A[i0:i1, pc:pc+kc] B[pc:pc+kc, j0:j1], B's panels packed at bp (panel
// jp of the range at bp + jp * kc * NR). The micro-kernel reads A's six rows in place (contiguous
// along k, or, transposed, six neighbours per k), which at these sizes costs less than packing
// them (~15% of a product's time), except where A^T's rows are far apart: there a row tile is
// copied out once and read by every panel (a block's dWfp, A = gelu output^T: 1.66 -> 1.40 ms).
void compute(const Gemm& g, int pc, int kc, const float* bp, int i0, int i1, int j0, int j1) {
  static thread_local std::vector<float> apack;
  const bool acc = g.acc || pc > 0;
  // A^T's kc rows are lda apart and map onto few cache sets: spanning 512 KB (dWfp) they evict
  // each other and B's block from L2 and copying pays; spanning 128 KB (the other weight
  // gradients) it costs more than it saves (measured in the step, one thread).
  const bool pack_a = g.ta && static_cast<size_t>(kc) * g.lda * sizeof(float) > (size_t{256} << 10);
  for (int i = i0; i < i1; i += MR) {
    const int mr = std::min(MR, i1 - i);
    const float* a;
    long ars, aps;
    if (pack_a) {
      apack.resize(static_cast<size_t>(kc) * MR);
      const float* src = g.a + static_cast<size_t>(pc) * g.lda + i;
      for (int p = 0; p < kc; p++)
        for (int r = 0; r < MR; r++) apack[p * MR + r] = src[static_cast<size_t>(p) * g.lda + std::min(r, mr - 1)];
      a = apack.data(); ars = 1; aps = MR;
    } else {
      a = g.a + (g.ta ? static_cast<size_t>(pc) * g.lda + i : static_cast<size_t>(i) * g.lda + pc);
      ars = g.ta ? 1 : g.lda;
      aps = g.ta ? g.lda : 1;
    }
    for (int jb = j0, jp = 0; jb < j1; jb += NR, jp++) {
      float* c = g.c + static_cast<size_t>(i) * g.ldc + jb;
      micro_6x16(kc, a, ars, aps, bp + static_cast<size_t>(jp) * kc * NR, NR, c, g.ldc, acc, mr, std::min(NR, j1 - jb));
    }
  }
}

}  // namespace

// C[i0:i1, j0:j1] on the calling thread, blocked over n and k so that the packed block of B stays
// in L2. j0 is a multiple of NR.
void gemm_tile(const Gemm& g, int i0, int i1, int j0, int j1) {
  static thread_local std::vector<float> bpack;
  for (int jc = j0; jc < j1; jc += NC) {
    const int jc1 = std::min(j1, jc + NC), panels = (jc1 - jc + NR - 1) / NR;
    for (int pc = 0; pc < g.k; pc += KC) {
      const int kc = std::min(KC, g.k - pc);
      bpack.resize(static_cast<size_t>(panels) * kc * NR);
      for (int jp = 0; jp < panels; jp++) pack_panel(g, pc, kc, jc + jp * NR, jc1, bpack.data() + static_cast<size_t>(jp) * kc * NR);
      compute(g, pc, kc, bpack.data(), i0, i1, jc, jc1);
    }
  }
}

namespace {
// A whole packed B (pack_b, gemm()'s split by rows; read by compute()): k block pc's panels start
// at pc * panels * NR, panel jp of it at + jp * kc * NR.
int panels_of(const Gemm& g) { return (g.n + NR - 1) / NR; }
size_t k_block(const Gemm& g, int pc) { return static_cast<size_t>(pc) * panels_of(g) * NR; }

// Panel jp of k block pc, packed into its place in packed.
void pack_into(const Gemm& g, int pc, int jp, float* packed) {
  const int kc = std::min(KC, g.k - pc);
  pack_panel(g, pc, kc, jp * NR, g.n, packed + k_block(g, pc) + static_cast<size_t>(jp) * kc * NR);
}
}  // namespace

size_t packed_size(const Gemm& g) { return k_block(g, g.k); }

void pack_b(const Gemm& g, float* dst) {
  for (int pc = 0; pc < g.k; pc += KC)
    for (int jp = 0; jp < panels_of(g); jp++) pack_into(g, pc, jp, dst);
}

void gemm_rows(const Gemm& g, const float* packed, int i0, int i1) {
  for (int pc = 0; pc < g.k; pc += KC) compute(g, pc, std::min(KC, g.k - pc), packed + k_block(g, pc), i0, i1, 0, g.n);
}

namespace {
// Below ~1 MFLOP (20 us on one core) waking a worker costs about what it saves.
bool worth_splitting(double flops) { return flops >= 1e6; }
constexpr int kChunkRows = 4 * MR, kChunkCols = 2 * NR;
}  // namespace

// Split over the pool in chunks taken from a shared counter (see parallel_for). A block's weight
// gradients (m = 128, n up to 512, over 768 tokens) go in chunks of columns, each packing its own
// panels of B. Products over tokens (m = 768 rows, n <= 512) go in chunks
// of rows against B packed once, its panels shared out the same way, k block by k block: a
// block's panels, then its row chunks (so that block of B stays in cache across all of them);
// the rows of block kb + 1 add to those of kb, so they wait for all of kb. Every element of C is
// summed by one thread in one order, so the result does not depend on the threads.
void gemm(Instance& inst, const Gemm& g) {
  if (g.m == 0 || g.n == 0) return;
  if (g.k == 0) {
    if (!g.acc)
      for (int i = 0; i < g.m; i++) std::fill(g.c + static_cast<size_t>(i) * g.ldc, g.c + static_cast<size_t>(i) * g.ldc + g.n, 0.f);
    return;
  }
  const bool by_cols = g.n > g.m;
  const int chunks = by_cols ? (g.n + kChunkCols - 1) / kChunkCols : (g.m + kChunkRows - 1) / kChunkRows;
  const int threads = worth_splitting(2.0 * g.m * g.n * g.k) ? std::min(inst.threads, chunks) : 1;
  if (threads <= 1) { gemm_tile(g, 0, g.m, 0, g.n); return; }
  if (by_cols) {
    // Chunks taken one after the other alternate between C's left and right halves: C is only
    // 8-byte aligned on the wasm heap, so neighbouring chunks share a cache line in every row,
    // which two threads writing them at once would pass back and forth.
    const int half = (chunks + 1) / 2;
    parallel_for(inst, chunks, threads, [&](int c0, int c1) {
      for (int c = c0; c < c1; c++) {
        const int col = c % 2 ? half + c / 2 : c / 2;
        gemm_tile(g, 0, g.m, col * kChunkCols, std::min(g.n, (col + 1) * kChunkCols));
      }
    });
    return;
  }
  const int panels = panels_of(g), kblocks = (g.k + KC - 1) / KC;
  inst.packed.resize(packed_size(g));
  float* const packed = inst.packed.data();
  // Per k block: next panel to pack, panels packed, next chunk, chunks done.
  std::unique_ptr<std::atomic<int>[]> ctr(new std::atomic<int>[4 * kblocks]());
  inst.pool.run(threads, [&](int) {
    for (int kb = 0; kb < kblocks; kb++) {
      std::atomic<int>* k = ctr.get() + 4 * kb;
      const int pc = kb * KC, kc = std::min(KC, g.k - pc);
      for (int jp; (jp = k[0].fetch_add(1)) < panels;) {
        pack_into(g, pc, jp, packed);
        k[1].fetch_add(1, std::memory_order_release);
      }
      spin_until([&] {
        return k[1].load(std::memory_order_acquire) == panels && (kb == 0 || k[-1].load(std::memory_order_acquire) == chunks);
      });
      for (int c; (c = k[2].fetch_add(1)) < chunks;) {
        compute(g, pc, kc, packed + k_block(g, pc), c * kChunkRows, std::min(g.m, (c + 1) * kChunkRows), 0, g.n);
        k[3].fetch_add(1, std::memory_order_release);
      }
    }
  });
}

void advise_huge_pages(Instance& inst, const void* heap, size_t len) {
  if (heap == inst.heap && len == inst.heap_len) return;
  inst.heap = heap;
  inst.heap_len = len;
#ifdef __linux__
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(heap) + kHuge - 1) & ~(kHuge - 1),
                  end = (reinterpret_cast<uintptr_t>(heap) + len) & ~(kHuge - 1);
  if (end <= begin) return;
  void* p = reinterpret_cast<void*>(begin);
  if (madvise(p, end - begin, MADV_HUGEPAGE) == 0) madvise(p, end - begin, 25 /* MADV_COLLAPSE, Linux 6.1 */);
#endif
}

void gemm_batched(Instance& inst, const Gemm& g, const float* const* a, const float* const* b, int batches) {
  const auto batch = [&](int i) {
    Gemm gi = g;
    gi.a = a[i];
    gi.b = b[i];
    gi.c = g.c + static_cast<size_t>(i) * g.m * g.ldc;
    return gi;
  };
  if (batches == 1) { gemm(inst, batch(0)); return; }
  const int threads = worth_splitting(2.0 * batches * g.m * g.n * g.k) ? inst.threads : 1;
  if (batches < threads) {  // too few to share out: split each product instead
    for (int i = 0; i < batches; i++) gemm(inst, batch(i));
    return;
  }
  parallel_for(inst, batches, threads, [&](int b0, int b1) {
    for (int i = b0; i < b1; i++) gemm_tile(batch(i), 0, g.m, 0, g.n);
  });
}

}  // namespace llmlab
