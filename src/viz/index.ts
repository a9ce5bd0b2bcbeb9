export * from "./model";
export * from "./finetune";
