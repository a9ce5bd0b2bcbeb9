// GPT-2 encoding checked against the two reference packages (the notebook's `gpt2Equal`).
import type { Tiktoken } from "js-tiktoken/lite";
import { gpt2Tokenizer } from "./gpt2";

export interface ReferenceCheck {
  /** Ours equals both js-tiktoken and gpt-tokenizer, id for id. */
  equal: boolean;
  tokens: number;
  /** Per reference: index of the first differing id, or -1. */
  firstMismatch: Record<string, number>;
}

function firstMismatch(a: readonly number[], b: readonly number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}

export function checkGpt2AgainstReferences(text: string): ReferenceCheck {
  const ours = gpt2Tokenizer().encode(text);
  // The references are loaded only here, so importing llmlab does not load three GPT-2 vocabularies.
  const { Tiktoken: JsTiktoken } = require("js-tiktoken/lite") as { Tiktoken: typeof Tiktoken };
  const { encode: gptTokenizerEncode } =
    require("gpt-tokenizer/cjs/encoding/r50k_base") as typeof import("gpt-tokenizer/cjs/encoding/r50k_base");
  const jsTiktoken = new JsTiktoken(require("js-tiktoken/ranks/gpt2")).encode(text, [], []);
  const gptTokenizer = gptTokenizerEncode(text, { disallowedSpecial: new Set() });
  const mismatch = {
    "js-tiktoken": firstMismatch(ours, jsTiktoken),
    "gpt-tokenizer": firstMismatch(ours, gptTokenizer),
  };
  return {
    equal: mismatch["js-tiktoken"] === -1 && mismatch["gpt-tokenizer"] === -1,
    tokens: ours.length,
    firstMismatch: mismatch,
  };
}
