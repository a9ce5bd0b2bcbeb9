// A character n-gram language model with add-k smoothing: the smallest model that can
// memorise, used to exercise the memorisation pipeline end to end without the GPT.
export function charNgramLM(corpus: readonly string[], order = 6, k = 0.01) {
  const counts = new Map<string, Map<string, number>>();
  const alphabet = new Set<string>();
  for (const doc of corpus) {
    const text = "\u0002".repeat(order - 1) + doc;
    for (let i = order - 1; i < text.length; i++) {
      const ctx = text.slice(i - order + 1, i);
      const c = text[i];
      alphabet.add(c);
      let m = counts.get(ctx);
      if (!m) counts.set(ctx, (m = new Map()));
      m.set(c, (m.get(c) ?? 0) + 1);
    }
  }
  const V = alphabet.size;
  const totals = new Map([...counts].map(([ctx, m]) => [ctx, [...m.values()].reduce((a, b) => a + b, 0)]));
  return {
    logProb(doc: string): number {
      const text = "\u0002".repeat(order - 1) + doc;
      let lp = 0;
      for (let i = order - 1; i < text.length; i++) {
        const ctx = text.slice(i - order + 1, i);
        const n = counts.get(ctx)?.get(text[i]) ?? 0;
        lp += Math.log((n + k) / ((totals.get(ctx) ?? 0) + k * V));
      }
      return lp;
    },
  };
}
