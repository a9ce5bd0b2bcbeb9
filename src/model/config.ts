// Hyperparameters of the GPT decoder, named as in nanoGPT's GPTConfig.

// "none" exists for the shuffle test: without positions, attention cannot see order.
export type PositionalEncoding = "learned" | "sinusoidal" | "rope" | "none";

export interface GPTConfig {
  vocabSize: number;
  blockSize: number; // the longest context the model sees
  nLayer: number;
  nHead: number;
  nEmbd: number;
  dropout: number;
  bias: boolean; // biases in Linear and LayerNorm (GPT-2: true; nanoGPT's default: false)
  positional: PositionalEncoding;
  tieWeights: boolean; // lm_head shares the token embedding (Press & Wolf 2017)
}

export const defaultGPTConfig: Omit<GPTConfig, "vocabSize"> = {
  blockSize: 64,
  nLayer: 4,
  nHead: 4,
  nEmbd: 128,
  dropout: 0,
  bias: false,
  positional: "learned",
  tieWeights: true,
};

/** Fills defaults and checks every field; throws naming the bad one. */
export function gptConfig(c: Partial<GPTConfig> & { vocabSize: number }): GPTConfig {
  const cfg: GPTConfig = { ...defaultGPTConfig, ...c };
  const posInt = (k: keyof GPTConfig): void => {
    const v = cfg[k];
    if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) {
      throw new Error(`GPT config: ${k} must be a positive integer, got ${JSON.stringify(v)}`);
    }
  };
  (["vocabSize", "blockSize", "nLayer", "nHead", "nEmbd"] as const).forEach(posInt);
  if (cfg.nEmbd % cfg.nHead !== 0) {
    throw new Error(`GPT config: nEmbd (${cfg.nEmbd}) must be divisible by nHead (${cfg.nHead})`);
  }
  if (cfg.positional === "rope" && (cfg.nEmbd / cfg.nHead) % 2 !== 0) {
    throw new Error(`GPT config: rope needs an even head size, got ${cfg.nEmbd / cfg.nHead}`);
  }
  if (cfg.positional === "sinusoidal" && cfg.nEmbd % 2 !== 0) {
    throw new Error(`GPT config: sinusoidal positions need an even nEmbd, got ${cfg.nEmbd}`);
  }
  if (!["learned", "sinusoidal", "rope", "none"].includes(cfg.positional)) {
    throw new Error(
      `GPT config: positional must be learned | sinusoidal | rope | none, got ${JSON.stringify(cfg.positional)}`,
    );
  }
  if (typeof cfg.dropout !== "number" || !(cfg.dropout >= 0 && cfg.dropout < 1)) {
    throw new Error(`GPT config: dropout must be in [0, 1), got ${JSON.stringify(cfg.dropout)}`);
  }
  if (typeof cfg.bias !== "boolean") throw new Error(`GPT config: bias must be a boolean`);
  if (typeof cfg.tieWeights !== "boolean") throw new Error(`GPT config: tieWeights must be a boolean`);
  return cfg;
}
