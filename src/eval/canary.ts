// Canaries (Carlini et al. 2019, "The Secret Sharer", sec. 3): a format with holes, e.g.
// "my PIN is {}-{}-{}-{}", whose holes are filled from a randomness space R (here: every hole
// takes one symbol of an alphabet, so |R| = |alphabet|^holes). One random filling, the secret,
// is inserted k times into the training data; exposure then asks how the model ranks it
// among all of R.
import { aleaRng } from "../model/rng";

export class CanaryFormat {
  readonly template: string;
  readonly alphabet: string[];
  readonly holes: number;

  constructor(template = "my PIN is {}-{}-{}-{}", alphabet = "0123456789") {
    this.template = template;
    this.alphabet = [...alphabet];
    this.holes = template.split("{}").length - 1;
    if (this.holes === 0) throw new RangeError(`CanaryFormat: template "${template}" has no {} holes`);
    if (new Set(this.alphabet).size !== this.alphabet.length || this.alphabet.length < 2) {
      throw new RangeError(`CanaryFormat: alphabet must have at least 2 distinct symbols, got "${alphabet}"`);
    }
  }

  /** |R|. */
  get spaceSize(): number {
    return Math.pow(this.alphabet.length, this.holes);
  }

  /** The canary for randomness r in [0, |R|): r written in base |alphabet|, one digit per hole. */
  render(r: number): string {
    if (!Number.isInteger(r) || r < 0 || r >= this.spaceSize)
      throw new RangeError(`CanaryFormat.render: r must be an integer in [0, ${this.spaceSize}), got ${r}`);
    const b = this.alphabet.length;
    const digits: string[] = [];
    for (let i = 0; i < this.holes; i++) {
      digits.unshift(this.alphabet[r % b]);
      r = Math.floor(r / b);
    }
    let k = 0;
    return this.template.replace(/\{\}/g, () => digits[k++]);
  }

  randomness(seed: number | string): number {
    return aleaRng(seed).int(this.spaceSize);
  }
}

export interface InsertedCanary {
  corpus: string[];
  /** Indices of the documents that carry a copy. */
  positions: number[];
}

/**
 * Insert `copies` copies of `canary` into a corpus (seeded positions).
 * "documents": each copy is a new document (exact dedup then leaves one copy);
 * "inline": each copy is appended to a random existing document (dedup by document misses it).
 */
export function insertCanary(
  corpus: readonly string[],
  canary: string,
  copies: number,
  opts: { seed?: number | string; mode?: "documents" | "inline" } = {},
): InsertedCanary {
  if (!Number.isInteger(copies) || copies < 0)
    throw new RangeError(`insertCanary: copies must be a non-negative integer, got ${copies}`);
  const rng = aleaRng(opts.seed ?? 0);
  const out = corpus.slice();
  const positions: number[] = [];
  if ((opts.mode ?? "documents") === "documents") {
    for (let i = 0; i < copies; i++) {
      const at = rng.int(out.length + 1);
      out.splice(at, 0, canary);
      for (let j = 0; j < positions.length; j++) if (positions[j] >= at) positions[j]++;
      positions.push(at);
    }
  } else {
    if (out.length === 0) throw new RangeError("insertCanary: inline mode needs a non-empty corpus");
    for (let i = 0; i < copies; i++) {
      const at = rng.int(out.length);
      out[at] = `${out[at]}\n${canary}\n`;
      positions.push(at);
    }
  }
  return { corpus: out, positions: positions.sort((a, b) => a - b) };
}
