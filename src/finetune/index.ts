// src/finetune: adapting a pretrained GPT to a task, fully or with LoRA adapters.
export * from "./text";
export * from "./tasks";
export * from "./batch";
export * from "./fingerprint";
export * from "./lora";
export * from "./head";
export * from "./adapter";
export * from "./evaluate";
export * from "./finetune";
export * from "./base";
export * from "./compare";
