// The addon's JavaScript surface (N-API): sgemm (batched products for the wasm backend's
// BatchMatMul, native/gemm.cc), blockForward / blockBackward (the fused transformer block,
// native/block.cc), setThreads and info. Everything here checks what JavaScript passed, above
// all that every offset into the wasm heap stays inside it, and hands plain pointers on.
#include <node_api.h>

#include <cstdint>
#include <cstdio>
#include <vector>

#include "block.h"
#include "gemm.h"

namespace llmlab {
namespace {

Instance& instance(napi_env env) {
  void* data = nullptr;
  napi_get_instance_data(env, &data);
  return *static_cast<Instance*>(data);
}

napi_value fail(napi_env env, const char* msg) {
  napi_throw_type_error(env, nullptr, msg);
  return nullptr;
}

int32_t get_i32(napi_env env, napi_value v) { int32_t x = 0; napi_get_value_int32(env, v, &x); return x; }
uint32_t get_u32(napi_env env, napi_value v) { uint32_t x = 0; napi_get_value_uint32(env, v, &x); return x; }
bool get_bool(napi_env env, napi_value v) { bool x = false; napi_get_value_bool(env, v, &x); return x; }

// The bytes of an ArrayBuffer (the wasm heap).
bool array_buffer(napi_env env, napi_value v, uint8_t** data, size_t* len) {
  bool is = false;
  napi_is_arraybuffer(env, v, &is);
  if (!is) return false;
  void* p = nullptr;
  napi_get_arraybuffer_info(env, v, &p, len);
  *data = static_cast<uint8_t*>(p);
  return true;
}

// A typed array of the given type: its elements and their count.
template <class T>
bool typed_array(napi_env env, napi_value v, napi_typedarray_type want, const T** data, size_t* len) {
  bool is = false;
  napi_is_typedarray(env, v, &is);
  if (!is) return false;
  napi_typedarray_type type;
  void* p = nullptr;
  napi_get_typedarray_info(env, v, &type, len, &p, nullptr, nullptr);
  *data = static_cast<const T*>(p);
  return type == want;
}

// sgemm(heap: ArrayBuffer, aOffs: Uint32Array, bOffs: Uint32Array, cOff, m, n, k, transA, transB)
// C[i] = op(A[i]) op(B[i]) for every batch i; offsets are bytes into heap, C batches contiguous.
napi_value Sgemm(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != 9) return fail(env, "sgemm: expected 9 arguments");
  uint8_t* heap = nullptr;
  size_t heap_len = 0;
  if (!array_buffer(env, argv[0], &heap, &heap_len)) return fail(env, "sgemm: heap must be an ArrayBuffer");
  const uint32_t *a_offs, *b_offs;
  size_t na, nb;
  if (!typed_array(env, argv[1], napi_uint32_array, &a_offs, &na) ||
      !typed_array(env, argv[2], napi_uint32_array, &b_offs, &nb) || na != nb)
    return fail(env, "sgemm: aOffs and bOffs must be Uint32Arrays of equal length");
  const uint32_t c_off = get_u32(env, argv[3]);
  const int m = get_i32(env, argv[4]), n = get_i32(env, argv[5]), k = get_i32(env, argv[6]);
  if (m < 0 || n < 0 || k < 0) return fail(env, "sgemm: m, n, k must be >= 0");
  // Bounds: a bad offset would write outside the heap, so check every batch.
  const size_t a_bytes = 4ull * m * k, b_bytes = 4ull * k * n, c_bytes = 4ull * m * n * na;
  for (size_t i = 0; i < na; i++)
    if (a_offs[i] + a_bytes > heap_len || b_offs[i] + b_bytes > heap_len || a_offs[i] % 4 || b_offs[i] % 4)
      return fail(env, "sgemm: an a or b offset is out of the heap or misaligned");
  if (c_off + c_bytes > heap_len || c_off % 4) return fail(env, "sgemm: c is out of the heap or misaligned");
  if (m == 0 || n == 0 || na == 0) return nullptr;
  std::vector<const float*> a(na), b(na);
  for (size_t i = 0; i < na; i++) {
    a[i] = reinterpret_cast<const float*>(heap + a_offs[i]);
    b[i] = reinterpret_cast<const float*>(heap + b_offs[i]);
  }
  const bool ta = get_bool(env, argv[7]), tb = get_bool(env, argv[8]);
  const Gemm g{m, n, k, nullptr, ta ? m : k, ta, nullptr, tb ? k : n, tb, reinterpret_cast<float*>(heap + c_off), n, false};
  gemm_batched(instance(env), g, a.data(), b.data(), static_cast<int>(na));
  return nullptr;
}

// blockForward / blockBackward(heap: ArrayBuffer, offs: Uint32Array of byte offsets, one per slot
// (native/block.h), dims: Int32Array [B, T, C, H], eps)
napi_value block_call(napi_env env, napi_callback_info info, bool is_forward) {
  const char* name = is_forward ? "blockForward" : "blockBackward";
  char msg[160];
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != 4) return snprintf(msg, sizeof msg, "%s: expected 4 arguments", name), fail(env, msg);
  if (!g_avx2) return snprintf(msg, sizeof msg, "%s: needs an x86 CPU with AVX2 and FMA", name), fail(env, msg);
  uint8_t* heap = nullptr;
  size_t heap_len = 0;
  if (!array_buffer(env, argv[0], &heap, &heap_len))
    return snprintf(msg, sizeof msg, "%s: heap must be an ArrayBuffer", name), fail(env, msg);
  const int slots = is_forward ? static_cast<int>(block::NFWD) : static_cast<int>(block::NBWD);
  const uint32_t* offs = nullptr;
  const int32_t* dm = nullptr;
  size_t len = 0;
  if (!typed_array(env, argv[1], napi_uint32_array, &offs, &len) || static_cast<int>(len) != slots)
    return snprintf(msg, sizeof msg, "%s: offs must be a Uint32Array of %d byte offsets", name, slots), fail(env, msg);
  if (!typed_array(env, argv[2], napi_int32_array, &dm, &len) || len != 4)
    return snprintf(msg, sizeof msg, "%s: dims must be an Int32Array [B, T, C, H]", name), fail(env, msg);
  double eps = 0;
  napi_get_value_double(env, argv[3], &eps);
  const block::Dims d{dm[0], dm[1], dm[2], dm[3], static_cast<float>(eps)};
  if (d.B < 1 || d.T < 1 || d.C < 1 || d.H < 1 || d.C % d.H != 0 || !(eps > 0))
    return snprintf(msg, sizeof msg, "%s: need B, T, C, H >= 1, C divisible by H and eps > 0", name), fail(env, msg);
  // Bounds: a bad offset would read or write outside the heap, so check every slot.
  std::vector<float*> p(slots);
  for (int i = 0; i < slots; i++) {
    const size_t bytes = 4 * (is_forward ? block::fwd_size(i, d) : block::bwd_size(i, d));
    if (offs[i] % 4 || offs[i] + bytes > heap_len)
      return snprintf(msg, sizeof msg, "%s: slot %d is out of the heap or misaligned", name, i), fail(env, msg);
    p[i] = reinterpret_cast<float*>(heap + offs[i]);
  }
  Instance& inst = instance(env);
  advise_huge_pages(inst, heap, heap_len);
#ifdef LLMLAB_X86  // else g_avx2 is false and we never get here
  if (is_forward) block::forward(inst, d, p.data());
  else block::backward(inst, d, p.data());
#endif
  return nullptr;
}

napi_value BlockForward(napi_env env, napi_callback_info info) { return block_call(env, info, true); }
napi_value BlockBackward(napi_env env, napi_callback_info info) { return block_call(env, info, false); }

napi_value SetThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  const int t = argc == 1 ? get_i32(env, argv[0]) : 0;
  if (t < 1 || t > 256) return fail(env, "setThreads: expected an integer in [1, 256]");
  instance(env).threads = t;
  return nullptr;
}

napi_value Info(napi_env env, napi_callback_info) {
  napi_value obj, avx2, threads, kernel, workers;
  napi_create_object(env, &obj);
  napi_get_boolean(env, g_avx2, &avx2);
  napi_create_int32(env, instance(env).threads, &threads);
  napi_create_int32(env, instance(env).pool.workers(), &workers);
  const char* name = g_avx2 ? "avx2-fma-6x16" : "scalar";
  napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &kernel);
  napi_set_named_property(env, obj, "avx2", avx2);
  napi_set_named_property(env, obj, "threads", threads);
  napi_set_named_property(env, obj, "kernel", kernel);
  napi_set_named_property(env, obj, "poolWorkers", workers);
  return obj;
}

napi_value Init(napi_env env, napi_value exports) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  g_avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
  napi_property_descriptor props[] = {
      {"sgemm", nullptr, Sgemm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"blockForward", nullptr, BlockForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"blockBackward", nullptr, BlockBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  // Freed (workers stopped and joined) when this environment is torn down, so no thread outlives it.
  napi_set_instance_data(env, new Instance, [](napi_env, void* data, void*) { delete static_cast<Instance*>(data); }, nullptr);
  return exports;
}

}  // namespace
}  // namespace llmlab

NAPI_MODULE(NODE_GYP_MODULE_NAME, llmlab::Init)
