// "Are the samples words yet?" as a number: the share of the words of a sample (runs of letters,
// three or more long, lower-cased) that occur as words in the training text. Random characters
// almost never spell a three-letter word of the corpus; a model that has learned spelling
// mostly does. A crude measure on purpose: it ignores grammar and meaning, which is exactly
// what a small character model has not learned yet.

/** The distinct lower-cased words (letter runs of at least minLength) of a text. */
export function wordSet(text: string, minLength = 3): Set<string> {
  return new Set(words(text, minLength));
}

function words(text: string, minLength: number): string[] {
  if (!Number.isInteger(minLength) || minLength < 1)
    throw new RangeError(`minLength must be a positive integer, got ${minLength}`);
  return (text.toLowerCase().match(/\p{L}+/gu) ?? []).filter((w) => w.length >= minLength);
}

/** Share of the sample's words (letter runs >= minLength) found in `vocabulary`; NaN when it has none. */
export function realWordRate(sample: string, vocabulary: ReadonlySet<string>, minLength = 3): number {
  const ws = words(sample, minLength);
  if (ws.length === 0) return NaN;
  return ws.filter((w) => vocabulary.has(w)).length / ws.length;
}
