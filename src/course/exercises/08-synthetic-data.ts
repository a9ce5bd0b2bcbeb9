// Exercises of notebooks/08-synthetic-data.ipynb.
import { plantLeaks } from "../../eval";
import { registerExercise } from "../check";
import { asFunction, asRecord, fail, isVerdict, pass, show } from "../judge";

// Eval passages to leak; each is planted (perturbed as plantLeaks does) into a training document.
const PASSAGES = [
  "We must balance the budget. And we will: by 2002, the deficit will be gone.",
  "Tonight, I ask the Congress to act; the American people are waiting!",
  "Our economy is strong, our union is sound, and our future is bright.",
];
const TRAIN = ["The weather was fine and the harvest was good that year."];
const alnum = (s: string): number => (s.match(/[\p{L}\p{N}]/gu) ?? []).length;

registerExercise({
  id: "08.1",
  title: "perturbed leaks: a normalisation for contamination checks",
  hint: 'compare text as words: lower-case it, drop punctuation, and collapse whitespace, e.g. `text.toLowerCase().replace(/[^\\p{L}\\p{N}\\s]/gu, "").replace(/\\s+/g, " ").trim()`.',
  check(answer) {
    const fn = asFunction(answer, "normalise(text)");
    if (isVerdict(fn)) return fn;
    const norm = (s: string): unknown => fn(s as never);
    for (const i of PASSAGES.keys()) {
      const leak = plantLeaks(TRAIN, PASSAGES, 1, { seed: i }); // upper-cased, punctuation changed
      const e = leak.planted[0];
      const doc = leak.train[0];
      const [a, b] = [norm(PASSAGES[e]), norm(doc)];
      if (typeof a !== "string" || typeof b !== "string")
        return fail(`normalise returned ${show(typeof a !== "string" ? a : b)}, expected a string.`);
      if (alnum(a) < alnum(PASSAGES[e]))
        return fail(
          `normalise(${show(PASSAGES[e])}) = ${show(a)} lost letters or digits: a check that drops content flags unrelated text.`,
        );
      if (b.includes(a)) continue;
      const leaked = doc.slice(TRAIN[0].length + 1, -1);
      const why = /[.,;:!?]/.test(a)
        ? " The leak's punctuation was changed (. → !, others → ,): drop punctuation."
        : /\p{Lu}/u.test(a) && /\p{Ll}/u.test(a)
          ? " The leak was upper-cased: lower-case both sides."
          : "";
      return fail(
        `the planted copy ${show(leaked)} is not found: normalise(training document) does not contain normalise(${show(PASSAGES[e])}) = ${show(a)}.${why}`,
      );
    }
    if (norm("Tax the rich.") === norm("Wax the ship."))
      return fail("normalise maps different sentences to the same text: it must keep the words.");
    return pass(
      "every perturbed leak is found: compare lower-cased words without punctuation, as the 13-gram check does. The GPT-4 report's case-sensitive 50-character check misses leaks that differ only in case or punctuation.",
    );
  },
});

const count = (docs: readonly string[], s: string): number => docs.reduce((n, d) => n + (d.split(s).length - 1), 0);
const chars = (docs: readonly string[], without: string): number =>
  docs.reduce((n, d) => n + d.split(without).join("").replace(/\s+/g, "").length, 0);

registerExercise({
  id: "08.2",
  title: "inline canaries: a dedup that removes them",
  hint: "exact dedup compares whole documents, and each inline copy sits inside a different one; cut repeated spans instead: notebook 02's `llm.data.exactSubstringDedup(docs, minTokens)` with minTokens no longer than the canary's words.",
  check(answer) {
    const a = asRecord(
      answer,
      "{ canary, before, after }: the canary, the corpus with inline copies, and your deduplicated corpus",
    );
    if (isVerdict(a)) return a;
    const { canary, before, after } = a;
    const isDocs = (v: unknown): v is string[] => Array.isArray(v) && v.every((d) => typeof d === "string");
    if (typeof canary !== "string" || canary.trim() === "")
      return fail(`canary must be the canary string, got ${show(canary)}.`);
    if (!isDocs(before) || !isDocs(after)) return fail("before and after must be arrays of documents (strings).");
    const k = count(before, canary);
    if (k < 2)
      return fail(
        `the corpus before dedup holds the canary ${k} time${k === 1 ? "" : "s"}: insert its copies first (insertCanary with mode "inline").`,
      );
    const left = count(after, canary);
    if (left > 1)
      return fail(
        left === k
          ? `all ${k} copies of the canary survived: each inline copy is part of a longer document, and no two of those documents are equal, so a document-level dedup keeps them all.`
          : `${left} of the ${k} copies survived: a dedup that keeps only the first occurrence should leave one.`,
      );
    if (left === 0)
      return fail(
        `no copy of the canary is left: a dedup keeps the first occurrence and removes the repeats (did whole documents go?).`,
      );
    const kept = chars(after, canary) / Math.max(1, chars(before, canary));
    if (kept < 0.5)
      return fail(
        `your dedup removed the canary but also ${(100 * (1 - kept)).toFixed(0)}% of the other text: cut only repeated spans, not whole documents.`,
      );
    return pass(
      `${k} inline copies → ${left}, keeping ${(100 * kept).toFixed(0)}% of the other text: repeated spans inside documents need substring-level dedup (Lee et al. 2022), not document-level.`,
    );
  },
});
