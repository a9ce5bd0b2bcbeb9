// Exercises of notebooks/10-best-practices.ipynb.
import { cda } from "../../eval";
import { registerExercise } from "../check";
import { asFunction, asRecord, fail, isVerdict, pass, show } from "../judge";

// Stand-in sources whose passages name themselves, so the mix can be counted passage by passage.
const SOURCES: Record<string, { train: string[]; val: string[] }> = Object.fromEntries(
  ["sotu", "brown", "nlp-corpus", "spam-assassin"].map((s, k) => [
    s,
    { train: Array.from({ length: 3 + k }, (_, i) => `${s} passage ${i}`), val: [`${s} held out`] },
  ]),
);

registerExercise({
  id: "10.1",
  title: "mix proportions: twice as much sotu",
  hint: "every source's training passages once, sotu's twice: e.g. `llm.evaluation.interleave([sources.sotu.train, sources.sotu.train, ...others.map((s) => s.train)])`; no held-out (val) passage may enter the mix.",
  check(answer) {
    const fn = asFunction(answer, "sotuHeavy(sources)");
    if (isVerdict(fn)) return fn;
    const input = JSON.parse(JSON.stringify(SOURCES)) as typeof SOURCES;
    const got = fn(input as never);
    const desc = `sotuHeavy on sources with ${Object.entries(SOURCES)
      .map(([s, x]) => `${x.train.length} ${s}`)
      .join(", ")} training passages`;
    if (JSON.stringify(input) !== JSON.stringify(SOURCES))
      return fail(`${desc} changed the sources it was given: build a new list.`);
    if (!Array.isArray(got) || !got.every((d) => typeof d === "string"))
      return fail(`${desc} returned ${show(got)}, expected a list of passages.`);
    const seen = new Map<string, number>();
    for (const d of got) seen.set(d, (seen.get(d) ?? 0) + 1);
    const leaked = got.filter((d) => d.endsWith("held out"));
    if (leaked.length)
      return fail(
        `${desc} put held-out passages into the training mix (${show(leaked[0])}): train on .train only, or the evaluation is contaminated.`,
      );
    for (const [s, x] of Object.entries(SOURCES)) {
      const want = s === "sotu" ? 2 : 1;
      const wrong = x.train.find((p) => (seen.get(p) ?? 0) !== want);
      if (wrong !== undefined)
        return fail(
          `${desc}: ${show(wrong)} appears ${seen.get(wrong) ?? 0} time${seen.get(wrong) === 1 ? "" : "s"}, expected ${want} (${s === "sotu" ? "sotu twice" : "every other source once"}).`,
        );
    }
    if (
      got.length !== [...seen.values()].reduce((a, b) => a + b, 0) ||
      seen.size !== Object.values(SOURCES).reduce((n, x) => n + x.train.length, 0)
    )
      return fail(`${desc} has passages that are not in any source's training split.`);
    return pass(
      "sotu's passages appear twice, every other source's once: sotu's share of the mix doubles while the other sources keep all their text.",
    );
  },
});

registerExercise({
  id: "10.2",
  title: "CDA without names: where do the two augmentations differ?",
  hint: '`cda(docs, { names: [] })` swaps gendered words (he/she, wife/husband) only; the full CDA also swaps first names. Use a sentence with a first name, e.g. "John said he would ask his sister."',
  check(answer) {
    const a = asRecord(answer, "{ sentence }: a sentence that the two augmentations treat differently");
    if (isVerdict(a)) return a;
    const { sentence } = a;
    if (typeof sentence !== "string" || sentence.trim() === "")
      return fail(`sentence must be a non-empty string, got ${show(sentence)}.`);
    const full = cda([sentence]);
    const words = cda([sentence], { names: [] });
    if (full.length === 1)
      return fail(
        `CDA leaves ${show(sentence)} unchanged: it has no gendered word or name, so it gets no counterfactual.`,
      );
    if (show(full) === show(words))
      return fail(
        `both augmentations give ${show(full[full.length - 1])} for ${show(sentence)}: it has no first name that CDA knows, so dropping the names changes nothing.`,
      );
    return pass(
      `words only: ${show(words[words.length - 1] ?? sentence)}; full CDA: ${show(full[full.length - 1])}. Only the full CDA changes who the sentence is about, so only it can move the names × occupations probe; the gendered-word swaps move the pronoun probes.`,
    );
  },
});
