// src/model: the GPT decoder, its positional encodings, sampling and generation.
export * from "./config";
export * from "./rng";
export * from "./positional";
export * from "./layers";
export * from "./attention";
export * from "./gpt";
export * from "./sample";
export * from "./generate";
export * from "./inspect";
export * from "./explain";
export * from "./lstm";
