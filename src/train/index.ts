// src/train: pretraining a GPT by next-token prediction.
export * from "./schedule";
export * from "./clip";
export * from "./grads";
export * from "./adamw";
export * from "./sampler";
export * from "./data";
export * from "./safetensors";
export * from "./config";
export * from "./checkpoint";
export * from "./trainer";
export * from "./fullLoss";
export * from "./race";
export * from "./hf-export";
export * from "./codec";
export * from "./realWords";
