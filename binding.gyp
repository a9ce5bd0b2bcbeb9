{
  "targets": [
    {
      "target_name": "llmlab_gemm",
      "sources": ["native/addon.cc", "native/gemm.cc", "native/block.cc", "native/attention.cc"],
      "cflags_cc": ["-O3", "-std=c++17", "-pthread"],
      "ldflags": ["-pthread"],
      "cflags_cc!": ["-fno-exceptions"],
      "xcode_settings": { "OTHER_CPLUSPLUSFLAGS": ["-O3", "-std=c++17"] }
    }
  ]
}
