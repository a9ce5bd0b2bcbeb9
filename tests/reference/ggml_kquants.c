/* Runs ggml's own k-quant reference code (the quantize_row_*_ref / dequantize_row_* that
   libggml-base.so exports, as shipped by node-llama-cpp's prebuilt llama.cpp) on a file of
   float32 values, for src/quant/kquants.xref.test.ts.
   usage: ggml_kquants LIB TYPE IN.f32 OUT.blocks OUT.f32   (TYPE: q4_K | q6_K)
   Build: cc -O1 -o ggml_kquants ggml_kquants.c -ldl */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*quantize_fn)(const float *x, void *y, int64_t k);
typedef void (*dequantize_fn)(const void *x, float *y, int64_t k);

static void *read_all(const char *path, long *size) {
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); exit(2); }
  fseek(f, 0, SEEK_END); *size = ftell(f); fseek(f, 0, SEEK_SET);
  void *buf = malloc(*size);
  if (fread(buf, 1, *size, f) != (size_t)*size) { fprintf(stderr, "short read %s\n", path); exit(2); }
  fclose(f);
  return buf;
}

static void write_all(const char *path, const void *buf, size_t n) {
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(buf, 1, n, f) != n) { perror(path); exit(2); }
  fclose(f);
}

int main(int argc, char **argv) {
  if (argc != 6) { fprintf(stderr, "usage: %s LIB q4_K|q6_K IN.f32 OUT.blocks OUT.f32\n", argv[0]); return 2; }
  void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!lib) { fprintf(stderr, "dlopen: %s\n", dlerror()); return 2; }
  int q4 = strcmp(argv[2], "q4_K") == 0;
  if (!q4 && strcmp(argv[2], "q6_K") != 0) { fprintf(stderr, "type must be q4_K or q6_K\n"); return 2; }
  quantize_fn quantize = (quantize_fn)dlsym(lib, q4 ? "quantize_row_q4_K_ref" : "quantize_row_q6_K_ref");
  dequantize_fn dequantize = (dequantize_fn)dlsym(lib, q4 ? "dequantize_row_q4_K" : "dequantize_row_q6_K");
  if (!quantize || !dequantize) { fprintf(stderr, "dlsym: %s\n", dlerror()); return 2; }
  long size;
  float *x = read_all(argv[3], &size);
  int64_t n = size / 4;
  if (n % 256) { fprintf(stderr, "%ld values: not a multiple of 256\n", (long)n); return 2; }
  size_t bytes = (size_t)(n / 256) * (q4 ? 144 : 210);
  void *blocks = calloc(1, bytes);
  float *y = malloc(size);
  quantize(x, blocks, n);
  dequantize(blocks, y, n);
  write_all(argv[4], blocks, bytes);
  write_all(argv[5], y, (size_t)size);
  return 0;
}
