// Causal self-attention of one (batch, head) for the fused transformer block (native/block.cc):
// forward and backward on the GEMM's register tile.
#pragma once

#include <vector>

#include "vec8.h"

namespace llmlab {

#ifdef LLMLAB_X86
// Per-thread scratch of the attention kernels.
struct HeadScratch {
  std::vector<float> kt, vt, qp, kp, vp, dap, out, dq, dk, dv, dP;
};

// P = softmax_causal(scale q k^T) into P [T x T]; a = P v into a (row stride lda). q, k, v rows
// have stride ld (the qkv layout: one row per token, the head's D columns).
AVX2 void attention_forward(const float* q, const float* k, const float* v, long ld, float* P, float* a, long lda, int T,
                            int D, float scale, HeadScratch& s);

// Given P and da (row stride lda): dq, dk, dv (row stride ld, like q, k, v).
AVX2 void attention_backward(const float* q, const float* k, const float* v, long ld, const float* P, const float* da,
                             long lda, float* dq, float* dk, float* dv, int T, int D, float scale, HeadScratch& s);
#endif  // LLMLAB_X86

}  // namespace llmlab
