// Template generation over structured facts: the cheapest synthetic data, exactly correct by
// construction, and exactly as narrow as its templates (a model trained on it learns the
// templates too; the diversity numbers of notebook 10 show it).
import { aleaRng, shuffled } from "../model/rng";
import type { SotuFact } from "./facts";
import type { SyntheticExample } from "./provenance";

export interface QaPair {
  question: string;
  answer: string;
  /** The facts used, as a short key for the provenance tag. */
  facts: string;
}

export interface FactTemplate {
  id: string;
  /** All question/answer pairs this template yields over the facts. */
  expand(facts: readonly SotuFact[]): QaPair[];
}

function groupBy<K, V>(xs: readonly V[], key: (v: V) => K): Map<K, V[]> {
  const m = new Map<K, V[]>();
  for (const x of xs) {
    const k = key(x);
    const g = m.get(k);
    if (g) g.push(x);
    else m.set(k, [x]);
  }
  return m;
}

const unique = (xs: string[]): string[] => [...new Set(xs)];
const joinAnd = (xs: string[]): string =>
  xs.length <= 1 ? xs.join("") : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`;

export const SOTU_TEMPLATES: readonly FactTemplate[] = [
  {
    id: "sotu-who-gave-year",
    expand: (facts) =>
      [...groupBy(facts, (f) => f.year)].map(([year, fs]) => ({
        question: `Who gave the ${year} State of the Union address?`,
        answer: joinAnd(unique(fs.map((f) => f.president))),
        facts: `year=${year}`,
      })),
  },
  {
    id: "sotu-party-of-president",
    expand: (facts) =>
      [...groupBy(facts, (f) => f.president)].map(([president, fs]) => ({
        question: `Which party did ${president} belong to?`,
        answer: joinAnd(unique(fs.map((f) => (f.party === "none" ? "no party" : `the ${f.party} Party`)))),
        facts: `president=${president}`,
      })),
  },
  {
    id: "sotu-first-year",
    expand: (facts) =>
      [...groupBy(facts, (f) => f.president)].map(([president, fs]) => ({
        question: `In what year was ${president}'s first State of the Union address?`,
        answer: String(Math.min(...fs.map((f) => f.year))),
        facts: `president=${president}`,
      })),
  },
  {
    id: "sotu-count",
    expand: (facts) =>
      [...groupBy(facts, (f) => f.president)].map(([president, fs]) => ({
        question: `How many State of the Union addresses by ${president} are in the collection?`,
        answer: String(fs.length),
        facts: `president=${president}`,
      })),
  },
  {
    id: "sotu-party-in-year",
    expand: (facts) =>
      [...groupBy(facts, (f) => f.year)].map(([year, fs]) => ({
        question: `Which party was the president who gave the ${year} address from?`,
        answer: joinAnd(unique(fs.map((f) => (f.party === "none" ? "no party" : f.party)))),
        facts: `year=${year}`,
      })),
  },
];

export interface TemplateOptions {
  templates?: readonly FactTemplate[];
  /** Keep at most this many examples (after a seeded shuffle). */
  limit?: number;
  seed?: number | string;
  format?: (q: QaPair) => string;
}

/** Question/answer examples from every template over the facts, seeded order, provenance-tagged. */
export function templateQA(facts: readonly SotuFact[], opts: TemplateOptions = {}): SyntheticExample[] {
  const seed = opts.seed ?? 0;
  const format = opts.format ?? ((q: QaPair) => `Q: ${q.question}\nA: ${q.answer}`);
  const all: SyntheticExample[] = [];
  for (const t of opts.templates ?? SOTU_TEMPLATES) {
    t.expand(facts).forEach((q, i) => {
      all.push({
        id: `${t.id}-${i}`,
        text: format(q),
        question: q.question,
        answer: q.answer,
        provenance: {
          source: "synthetic",
          method: "template",
          generator: "llm.synthetic.templateQA",
          template: t.id,
          facts: q.facts,
          seed,
        },
      });
    });
  }
  const out = shuffled(all, aleaRng(seed));
  return opts.limit === undefined ? out : out.slice(0, opts.limit);
}
