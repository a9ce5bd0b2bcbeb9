// src/quant: post-training quantisation of weight matrices, model-independent.
// RTN baselines, GGML block formats (bit-exact with ggml), GPTQ, GGUF files, block dot
// products, perplexity; models plug in through QuantTarget (sequential.ts, tf-target.ts).
export * from "./fp16";
export * from "./matrix";
export * from "./rtn";
export * from "./ggml";
export * from "./kquants";
export * from "./linalg";
export * from "./gptq";
export * from "./sequential";
export * from "./tf-target";
export * from "./gguf";
export * from "./gguf-write";
export * from "./gguf-gpt2";
export * from "./gguf-vocab";
export * from "./gguf-model";
export * from "./gguf-lora";
export * from "./llamacpp";
export * from "./llamacpp-compare";
export * from "./dot";
export * from "./perplexity";
export * from "./gpt-target";
export * from "./export";
export * from "./frontier";
export * from "./compare";
export * from "./figures";
export * from "./random-matrices";
