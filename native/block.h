// The fused transformer block (native/block.cc): its dimensions, the slots of its two calls
// (byte offsets into the wasm heap, in this order) and the two passes, for the binding in
// native/addon.cc.
#pragma once

#include <cstddef>

#include "gemm.h"
#include "vec8.h"  // LLMLAB_X86

namespace llmlab {
namespace block {

struct Dims {
  int B, T, C, H;
  float eps;
  int N() const { return B * T; }
  int D() const { return C / H; }
};

// Forward inputs and outputs, in the order the binding passes them.
enum Fwd { X, G1, WQKV, WPROJ, G2, WFC, WFP, Y, LN1, STATS1, QKV, ATT, ATTY, X2, LN2, STATS2, DGELU, FCHG, NFWD };
// Backward: dy, then the forward's inputs and saved activations (everything but y), then the gradients.
enum Bwd { DY, DX = NFWD, DG1, DWQKV, DWPROJ, DG2, DWFC, DWFP, NBWD };

// Floats in a slot of the forward (fwd_size) or backward (bwd_size) call.
size_t fwd_size(int slot, const Dims& d);
size_t bwd_size(int slot, const Dims& d);

#ifdef LLMLAB_X86
// p: the call's slots as pointers into the heap. AVX2/FMA only (the binding checks g_avx2).
void forward(Instance& inst, const Dims& d, float* const* p);
void backward(Instance& inst, const Dims& d, float* const* p);
#endif

}  // namespace block
}  // namespace llmlab
