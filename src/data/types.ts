// The one document schema every loader yields and every stage passes along.
export interface Doc {
  /** Unique within the corpus, prefixed by its source, e.g. "brown/ca01". */
  id: string;
  source: string;
  /** Genre for prose (Brown's 15 genres, "speech"), label for classified data ("spam"/"ham"). */
  genre: string | null;
  year: number | null;
  text: string;
  metadata: Record<string, string | number | boolean | null>;
}

/** Options every long-running loop in src/data accepts (see BRIEF: abortable, quiet). */
export interface LoopOptions {
  signal?: AbortSignal;
  onProgress?: (info: { stage: string; done: number; total?: number }) => void;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new Error("aborted");
}
