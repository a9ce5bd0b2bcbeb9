// Exercises of notebooks/01-data-collection.ipynb.
import { detokenize } from "../../data";
import { registerExercise } from "../check";
import { asFunction, asRecord, close, fail, isVerdict, pass, show } from "../judge";

// A hand-made summary: source "a" has two rows (two genres), as real summaries do.
const SUMMARY = {
  bytes: 200,
  rows: [
    { source: "a", genre: "news", decade: "1960s", documents: 2, bytes: 60, words: 10 },
    { source: "b", genre: "ham", decade: "2000s", documents: 1, bytes: 100, words: 20 },
    { source: "a", genre: "fiction", decade: "1960s", documents: 1, bytes: 20, words: 4 },
    { source: "c", genre: "none", decade: "1790s", documents: 1, bytes: 20, words: 3 },
  ],
};
const SHARES: Record<string, number> = { a: 0.4, b: 0.5, c: 0.1 };

registerExercise({
  id: "01.1",
  title: "who dominates? byte shares per source",
  hint: "loop over `summary.rows` and do `shares[r.source] = (shares[r.source] ?? 0) + r.bytes / summary.bytes`.",
  check(answer) {
    const fn = asFunction(answer, "byteShares(summary)");
    if (isVerdict(fn)) return fn;
    const got = asRecord(fn(SUMMARY as never), "an object of source → share");
    if (isVerdict(got)) return got;
    const input = `on a summary with rows a: 60, b: 100, a: 20, c: 20 bytes (200 in all)`;
    if (Object.keys(got).length === 0)
      return fail(`byteShares returned {} ${input}: nothing was added to \`shares\` yet.`);
    const extra = Object.keys(got).filter((k) => !(k in SHARES));
    if (extra.length)
      return fail(`byteShares returned keys ${show(extra)} ${input}; the keys should be the sources a, b, c.`);
    const values = Object.values(got);
    if (!values.every((v) => typeof v === "number" && Number.isFinite(v)))
      return fail(`every share must be a finite number; got ${show(got)} ${input}.`);
    const total = (values as number[]).reduce((s, v) => s + v, 0);
    if (close(total, 200))
      return fail(`your shares sum to 200 ${input}: these are bytes, divide by \`summary.bytes\` to get fractions.`);
    if (close(got.a as number, 20 / 200) || close(got.a as number, 60 / 200))
      return fail(
        `share of a is ${show(got.a)} ${input}, expected 0.4: a has two rows (one per genre and decade), so add to its share instead of overwriting it.`,
      );
    for (const [s, want] of Object.entries(SHARES)) {
      if (!close((got[s] as number) ?? 0, want))
        return fail(`share of ${s} is ${show(got[s])} ${input}, expected ${want} (shares sum to ${total.toFixed(3)}).`);
    }
    return pass("shares are right: every source's bytes over all bytes, summing to 1.");
  },
});

const DASH_CASES: { tokens: string[]; want: string }[] = [
  { tokens: ["He", "said", "``", "wait", "--", "now", "''", "."], want: 'He said "wait—now".' },
  { tokens: ["one", "--", "two", "--", "three", "."], want: "one—two—three." },
  { tokens: ["No", "dash", "here", ",", "only", "a", "comma", "."], want: "No dash here, only a comma." },
];

registerExercise({
  id: "01.2",
  title: "one more detokenisation rule: the em dash",
  hint: 'replace every ` -- ` (with its spaces) by "—": `text.replace(/ -- /g, "—")`.',
  check(answer) {
    const fn = asFunction(answer, "emDash(text)");
    if (isVerdict(fn)) return fn;
    for (const { tokens, want } of DASH_CASES) {
      const input = detokenize(tokens);
      const got = fn(input as never);
      if (got === want) continue;
      if (typeof got !== "string")
        return fail(`emDash(${show(input)}) returned ${show(got)}, expected the string ${show(want)}.`);
      if (got.includes("--"))
        return fail(
          `emDash(${show(input)}) gave ${show(got)}: a \`--\` is still there${got.includes("—") ? " (only the first one was replaced: use a global regex or replaceAll)" : ""}.`,
        );
      if (/ —|— /.test(got))
        return fail(`emDash(${show(input)}) gave ${show(got)}: typeset em dashes have no spaces around them.`);
      return fail(`emDash(${show(input)}) gave ${show(got)}, expected ${show(want)}.`);
    }
    return pass("every `--` becomes an unspaced em dash, and text without dashes is unchanged.");
  },
});
