// Exercises of notebooks/03-tokenisation.ipynb.
import { registerExercise } from "../check";
import { asFunction, asRecord, close, fail, isVerdict, pass, show } from "../judge";

const bytes = (s: string): number[] => Array.from(new TextEncoder().encode(s));

// minbpe's example (from Wikipedia's BPE article), then the cases a first attempt gets wrong.
const MERGE_CASES: { ids: number[]; pair: [number, number]; newId: number; want: number[]; why: string }[] = [
  {
    ids: bytes("aaabdaaabac"),
    pair: [97, 97],
    newId: 256,
    want: [256, 97, 98, 100, 256, 97, 98, 97, 99],
    why: "minbpe's example",
  },
  {
    ids: [97, 97, 97],
    pair: [97, 97],
    newId: 256,
    want: [256, 97],
    why: "pairs do not overlap: after a merge, continue after the pair",
  },
  { ids: [1, 2, 3, 1, 2], pair: [1, 2], newId: 9, want: [9, 3, 9], why: "a pair at the very end is merged too" },
  { ids: [1, 3, 2], pair: [1, 2], newId: 9, want: [1, 3, 2], why: "only *adjacent* ids form a pair" },
  { ids: [], pair: [1, 2], newId: 9, want: [], why: "nothing to merge" },
];

registerExercise({
  id: "03.1",
  title: "one merge by hand",
  hint: "walk with an index i: if ids[i], ids[i+1] is the pair, push newId and skip 2; else push ids[i] and skip 1.",
  check(answer) {
    const fn = asFunction(answer, "mergePair(ids, pair, newId)");
    if (isVerdict(fn)) return fn;
    for (const c of MERGE_CASES) {
      const ids = c.ids.slice();
      const got = fn(ids as never, c.pair as never, c.newId as never);
      const call = `mergePair(${show(c.ids)}, ${show(c.pair)}, ${c.newId})`;
      if (show(ids) !== show(c.ids))
        return fail(`${call} changed its input ids to ${show(ids)}: return a new array instead.`);
      if (!Array.isArray(got)) return fail(`${call} returned ${show(got)}, expected an array of ids.`);
      if (show(got) !== show(c.want)) return fail(`${call} gave ${show(got)}, expected ${show(c.want)}: ${c.why}.`);
    }
    return pass("mergePair replaces each adjacent pair left to right, without overlaps, and leaves its input alone.");
  },
});

// A stand-in tokenizer (one id per 3 characters), so the check does not depend on training.
const FAKE = { encode: (t: string): number[] => Array.from({ length: Math.ceil(t.length / 3) }, (_, i) => i) };
const TEXT = "naïve café → 🚀";

registerExercise({
  id: "03.2",
  title: "bytes per token",
  hint: "`new TextEncoder().encode(text).length / tok.encode(text).length`: UTF-8 bytes, not characters.",
  check(answer) {
    const fn = asFunction(answer, "bytesPerToken(tok, text)");
    if (isVerdict(fn)) return fn;
    const nBytes = new TextEncoder().encode(TEXT).length;
    const nTokens = FAKE.encode(TEXT).length;
    const want = nBytes / nTokens;
    const got = fn(FAKE as never, TEXT as never);
    const call = `bytesPerToken(tok, ${show(TEXT)}) with a tokenizer giving ${nTokens} tokens (${nBytes} UTF-8 bytes, ${TEXT.length} UTF-16 units)`;
    if (typeof got !== "number" || Number.isNaN(got)) return fail(`${call} returned ${show(got)}, expected a number.`);
    if (close(got, want)) return pass(`${nBytes} bytes / ${nTokens} tokens = ${want.toFixed(3)}.`);
    if (close(got, TEXT.length / nTokens) || close(got, [...TEXT].length / nTokens))
      return fail(`${call} gave ${got.toFixed(3)}: that counts characters; count UTF-8 bytes (é is 2 bytes, 🚀 is 4).`);
    if (close(got, nTokens / nBytes))
      return fail(`${call} gave ${got.toFixed(3)}: that is tokens per byte, the inverse.`);
    return fail(`${call} gave ${got}, expected ${want.toFixed(3)}.`);
  },
});

interface Encoder {
  encode(text: string): number[];
}
const isEncoder = (v: unknown): v is Encoder =>
  v !== null && typeof v === "object" && typeof (v as Encoder).encode === "function";

registerExercise({
  id: "03.3",
  title: "digits under the GPT-2 and GPT-4 splits",
  hint: "GPT-4's split cuts digit runs into groups of at most three before BPE, GPT-2's does not: try a long number such as 1234567 or 2000000000.",
  check(answer) {
    const a = asRecord(answer, "{ digits, gpt2, gpt4 }: your number and the two tokenizers");
    if (isVerdict(a)) return a;
    const { digits, gpt2, gpt4 } = a;
    if (typeof digits !== "string" || !/^\d+$/.test(digits))
      return fail(`digits must be a string of digits, got ${show(digits)}.`);
    if (!isEncoder(gpt2) || !isEncoder(gpt4))
      return fail("gpt2 and gpt4 must be the two tokenizers (bpeGpt2Split and bpe).");
    const n2 = gpt2.encode(digits).length;
    const n4 = gpt4.encode(digits).length;
    if (n2 === n4) return fail(`${show(digits)} is ${n2} tokens under both splits.`);
    return pass(
      `${show(digits)}: ${n2} tokens with GPT-2's split, ${n4} with GPT-4's. GPT-4's regex matches at most three digits at a time, so no merge can ever cross a group of three.`,
    );
  },
});

interface SweepEntry {
  vocabSize: number;
  tokenizer: Encoder;
}

registerExercise({
  id: "03.4",
  title: 'the smallest vocabulary that splits " computer" least',
  hint: 'for each row of the sweep count `r.tokenizer.encode(" computer").length`; take the smallest vocabSize that reaches the minimum count.',
  check(answer) {
    const a = asRecord(answer, "{ vocabSize, sweep }");
    if (isVerdict(a)) return a;
    const { vocabSize, sweep } = a;
    if (
      !Array.isArray(sweep) ||
      sweep.length === 0 ||
      !sweep.every((r: unknown) => r !== null && typeof r === "object" && isEncoder((r as SweepEntry).tokenizer))
    )
      return fail("sweep must be the vocabulary sweep (rows with vocabSize and tokenizer).");
    const rows = (sweep as SweepEntry[])
      .map((r) => ({ size: r.vocabSize, pieces: r.tokenizer.encode(" computer").length }))
      .sort((x, y) => x.size - y.size);
    const fewest = Math.min(...rows.map((r) => r.pieces));
    const truth = rows.find((r) => r.pieces === fewest)!.size;
    const table = rows.map((r) => `${r.size}: ${r.pieces}`).join(", ");
    if (vocabSize === truth)
      return pass(
        `right: from ${truth} on, " computer" is ${fewest} token${fewest === 1 ? "" : "s"} (tokens per size: ${table}). ${fewest === 1 ? "The word is frequent enough to earn its own merge." : "It never becomes one token here: the word is too rare in the training text for a merge of its own."}`,
      );
    if (vocabSize === undefined) return fail("not yet: set smallestWholeComputer to a vocabulary size from the sweep.");
    const at = rows.find((r) => r.size === vocabSize);
    if (!at) return fail(`${show(vocabSize)} is not one of the sweep's sizes (${rows.map((r) => r.size).join(", ")}).`);
    return fail(
      at.pieces > fewest
        ? `at ${vocabSize}, " computer" is ${at.pieces} tokens, but a size in the sweep gets it down to ${fewest}.`
        : `at ${vocabSize} it is ${at.pieces} token${at.pieces === 1 ? "" : "s"}, but a smaller size already does as well.`,
    );
  },
});
