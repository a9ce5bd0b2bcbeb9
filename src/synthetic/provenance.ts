// Every synthetic example carries where it came from, so a later filter, dedup or
// contamination check (and a reader of the data card) can tell it apart from real data.

export interface SamplingSettings {
  temperature?: number;
  topK?: number;
  topP?: number;
  maxTokens?: number;
  seed?: number;
  stop?: string[];
}

export type SyntheticProvenance =
  | {
      source: "synthetic";
      method: "template";
      generator: string;
      template: string;
      facts: string;
      seed: number | string;
    }
  | {
      source: "synthetic";
      method: "model";
      generator: string;
      model: string;
      prompt: string;
      sampling: SamplingSettings;
    };

export interface SyntheticExample {
  id: string;
  /** The training text (for QA: "Q: ...\nA: ..."). */
  text: string;
  question?: string;
  answer?: string;
  provenance: SyntheticProvenance;
}
