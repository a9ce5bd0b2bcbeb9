// Exercises of notebooks/02-preprocessing.ipynb.
import { optimalParam } from "../../data";
import { registerExercise } from "../check";
import { asFunction, asRecord, fail, isVerdict, pass, show } from "../judge";

const SHOUTY_CASES: { text: string; want: boolean; why: string }[] = [
  { text: "BUY NOW!!! FREE MONEY", want: true, why: "every letter is upper case" },
  { text: "Buy now, it is free.", want: false, why: "1 of 14 letters is upper case" },
  {
    text: "A b c 1 2 3 4 5 6 7 8 9",
    want: true,
    why: "1 of 3 letters is upper case (digits and spaces are not letters)",
  },
  { text: "ÀÉÈ ÇÀ ça va", want: true, why: "É is an upper-case letter too (/\\p{Lu}/u, not /[A-Z]/)" },
  { text: "ABCdefghij", want: false, why: "exactly 30% is not *more* than 30%" },
  { text: "ABCDefghij", want: true, why: "4 of 10 letters is 40%" },
  { text: "12345 !!! ???", want: false, why: "there are no letters at all" },
];

registerExercise({
  id: "02.1",
  title: "your own quality rule: shouty text",
  hint: "`(text.match(/\\p{Lu}/gu)?.length ?? 0) > 0.3 * (text.match(/\\p{L}/gu)?.length ?? 0)`.",
  check(answer) {
    const fn = asFunction(answer, "shouty(text)");
    if (isVerdict(fn)) return fn;
    for (const { text, want, why } of SHOUTY_CASES) {
      const got = fn(text as never);
      if (typeof got !== "boolean") return fail(`shouty(${show(text)}) returned ${show(got)}, expected a boolean.`);
      if (got !== want) return fail(`shouty(${show(text)}) is ${got}, expected ${want}: ${why}.`);
    }
    return pass("shouty() agrees with the rule on upper case, non-ASCII letters, digits and the 30% boundary.");
  },
});

export const LSH_THRESHOLDS = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];

// optimalParam integrates numerically for every (b, r): about a second per call at 128
// permutations, so each (threshold, numPerm) is computed once per kernel.
const bandsCache = new Map<string, number>();
function bandsAt(threshold: number, numPerm: number): number {
  const key = `${threshold}/${numPerm}`;
  let b = bandsCache.get(key);
  if (b === undefined) bandsCache.set(key, (b = optimalParam(threshold, numPerm).bands));
  return b;
}

registerExercise({
  id: "02.2",
  title: "the LSH trade-off: which threshold needs the most bands?",
  hint: "in the loop: `const p = llm.data.optimalParam(t, NUM_PERM); if (p.bands > mostBands) { mostBands = p.bands; bestT = t; }`.",
  check(answer) {
    const a = asRecord(answer, "{ threshold, bands, numPerm }");
    if (isVerdict(a)) return a;
    const { threshold, bands, numPerm } = a;
    if (typeof numPerm !== "number" || !Number.isInteger(numPerm) || numPerm < 1)
      return fail(`numPerm must be the number of permutations (NUM_PERM), got ${show(numPerm)}.`);
    if (typeof bands !== "number" || typeof threshold !== "number")
      return fail(`threshold and bands must be numbers, got ${show(threshold)} and ${show(bands)}.`);
    if (bands === 0) return fail("mostBands is still 0: the loop does not record anything yet.");
    const most = Math.max(...LSH_THRESHOLDS.map((t) => bandsAt(t, numPerm)));
    const best = LSH_THRESHOLDS.filter((t) => bandsAt(t, numPerm) === most);
    if (!(threshold > 0 && threshold < 1)) return fail(`threshold ${threshold} is not in (0, 1).`);
    const atT = bandsAt(threshold, numPerm);
    if (atT !== bands)
      return fail(
        `optimalParam(${threshold}, ${numPerm}) gives ${atT} bands, but you report ${bands}: keep t and its bands from the same iteration.`,
      );
    if (bands < most)
      return fail(
        `t = ${threshold.toFixed(2)} gives ${bands} bands, but another threshold gives ${most}: keep the largest p.bands over every t.`,
      );
    return pass(
      `t = ${threshold.toFixed(2)} gives the most bands (${most}${best.length > 1 ? `; so do ${best.map((t) => t.toFixed(2)).join(", ")}` : ""}): a low threshold needs many short bands to catch weak matches.`,
    );
  },
});
