// minbpe's training loop as written in the lecture: recount every pair after every merge.
// O(merges x text); kept as the readable reference that the incremental trainer must equal.
import { chunkCounts, checkVocabSize, Merges, resolvePattern, TrainOptions, Vocab } from "./train";

export function learnMergesNaive(chunks: Uint8Array[], counts: number[], vocabSize: number): Merges {
  checkVocabSize(vocabSize);
  let ids = chunks.map((c) => Array.from(c));
  const vocab = new Vocab();
  const merges: Array<[number, number]> = [];
  const targets: number[] = [];
  while (vocab.tokens.length < vocabSize) {
    const stats = new Map<string, number>();
    ids.forEach((seq, w) => {
      for (let i = 0; i + 1 < seq.length; i++) {
        const key = `${seq[i]},${seq[i + 1]}`;
        stats.set(key, (stats.get(key) ?? 0) + counts[w]);
      }
    });
    let best: [number, number] | undefined;
    let bestCount = 0;
    for (const [key, c] of stats) {
      const [a, b] = key.split(",").map(Number);
      // Most frequent; ties to the smallest (a, b), the incremental trainer's rule.
      if (c > bestCount || (c === bestCount && best && (a < best[0] || (a === best[0] && b < best[1])))) {
        best = [a, b];
        bestCount = c;
      }
    }
    if (!best) break;
    const [a, b] = best;
    const t = vocab.merge(a, b);
    ids = ids.map((seq) => {
      const out: number[] = [];
      for (let i = 0; i < seq.length; i++) {
        if (i + 1 < seq.length && seq[i] === a && seq[i + 1] === b) {
          out.push(t);
          i++;
        } else out.push(seq[i]);
      }
      return out;
    });
    merges.push([a, b]);
    targets.push(t);
  }
  return { merges, targets, tokens: vocab.tokens };
}

/** Naive training on text (same chunks and tie rule as trainBPE). */
export function trainNaive(text: string, opts: Pick<TrainOptions, "vocabSize" | "pattern">): Merges {
  const { chunks, counts } = chunkCounts(text, resolvePattern(opts.pattern));
  return learnMergesNaive(chunks, counts, opts.vocabSize);
}
