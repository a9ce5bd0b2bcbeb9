// Collecting ratings from a person, blind: outputs are shown as "Output 1"/"Output 2" in a
// seeded random order per item, never with system names, and answers are mapped back to
// systems only when recorded. `ask` is whatever gets a line of text from the rater: in the
// course's kernel, stdin (input_request) or a button widget; in tests, a script.
import { aleaRng, shuffled } from "../model/rng";
import { CRITERIA, PreferenceRow, RATINGS_FORMAT, RatingsFile, validateRatings } from "./ratings";
import type { LikertRow } from "./likert";

export interface RatingItem {
  id: string;
  prompt?: string;
  /** system name -> that system's output for this item. */
  outputs: Record<string, string>;
}

export type Ask = (question: string) => Promise<string> | string;

export interface CollectOptions {
  rater: string;
  collectedBy: string;
  description: string;
  instructions?: string;
  date?: string;
  criteria?: readonly string[];
  scale?: { min: number; max: number };
  likert?: boolean;
  /** Blind A/B between the first two systems of each item. */
  ab?: boolean;
  seed?: number | string;
  /** Re-asks after an invalid answer before giving up. */
  retries?: number;
  signal?: AbortSignal;
}

/** One question of the form, in the order collectRatings asks them. */
export type RatingQuestion = {
  item: RatingItem;
  /** The item's systems in display order: "Output k" is order[k - 1] (the blinding). */
  order: string[];
  /** Prompt and the outputs as the rater sees them. */
  header: string;
} & ({ kind: "score"; output: number; criterion: string } | { kind: "preference" });

export type QuestionOptions = Pick<CollectOptions, "criteria" | "scale" | "likert" | "ab" | "seed">;

/**
 * What a rater is asked, item by item: per output (in a seeded random display order per item)
 * a score for each criterion, then which output is better. collectRatings asks these in this
 * order; a form (notebook 09's widgets) shows the same questions at once.
 */
export function ratingQuestions(items: readonly RatingItem[], opts: QuestionOptions = {}): RatingQuestion[] {
  const criteria = [...(opts.criteria ?? CRITERIA)];
  const rng = aleaRng(opts.seed ?? 0);
  const questions: RatingQuestion[] = [];
  for (const item of items) {
    const systems = Object.keys(item.outputs);
    if (systems.length === 0) throw new RangeError(`collectRatings: item ${item.id} has no outputs`);
    const order = shuffled(systems, rng); // display order, the blinding
    const shown = order.map((s, k) => `Output ${k + 1}:\n${item.outputs[s]}`).join("\n\n");
    const header = `${item.prompt ? `Prompt: ${item.prompt}\n\n` : ""}${shown}\n\n`;
    if (opts.likert ?? true)
      for (let k = 0; k < order.length; k++)
        for (const criterion of criteria)
          questions.push({ item, order, header, kind: "score", output: k + 1, criterion });
    if ((opts.ab ?? true) && order.length >= 2) questions.push({ item, order, header, kind: "preference" });
  }
  return questions;
}

/** The answers a preference question takes: "1", "2", or "t" for a tie. */
export const PREFERENCE_ANSWERS = ["1", "2", "t"] as const;

export async function collectRatings(
  items: readonly RatingItem[],
  ask: Ask,
  opts: CollectOptions,
): Promise<RatingsFile> {
  const criteria = [...(opts.criteria ?? CRITERIA)];
  const scale = opts.scale ?? { min: 1, max: 5 };
  const retries = opts.retries ?? 3;
  const likert: LikertRow[] = [];
  const preferences: PreferenceRow[] = [];
  const askUntil = async <T>(
    question: string,
    parse: (answer: string) => T | undefined,
    expected: string,
  ): Promise<T> => {
    let q = question;
    for (let t = 0; t <= retries; t++) {
      const v = parse(String(await ask(q)).trim());
      if (v !== undefined) return v;
      q = `Please answer ${expected}.\n${question}`;
    }
    throw new Error(
      `collectRatings: no valid answer (${expected}) after ${retries + 1} tries to: ${question.split("\n").pop()}`,
    );
  };
  let item: RatingItem | undefined;
  for (const q of ratingQuestions(items, opts)) {
    // An abort stops between items, so no item is left half rated.
    if (q.item !== item && opts.signal?.aborted) break;
    item = q.item;
    if (q.kind === "score") {
      const score = await askUntil(
        `${q.header}Rate Output ${q.output} for ${q.criterion} (${scale.min}-${scale.max}):`,
        (a) => (/^\d+$/.test(a) && +a >= scale.min && +a <= scale.max ? +a : undefined),
        `a whole number from ${scale.min} to ${scale.max}`,
      );
      likert.push({
        rater: opts.rater,
        item: q.item.id,
        system: q.order[q.output - 1],
        criterion: q.criterion,
        score,
      });
    } else {
      const pick = await askUntil(
        `${q.header}Which is better overall, Output 1 or Output 2? (1, 2, or t for a tie):`,
        (a) => (a === "1" ? "a" : a === "2" ? "b" : /^t(ie)?$/i.test(a) ? "tie" : undefined),
        `1, 2 or t`,
      );
      preferences.push({ rater: opts.rater, item: q.item.id, a: q.order[0], b: q.order[1], winner: pick });
    }
  }
  return validateRatings(
    {
      format: RATINGS_FORMAT,
      provenance: {
        kind: "human",
        description: opts.description,
        collectedBy: opts.collectedBy,
        date: opts.date ?? new Date().toISOString().slice(0, 10),
        ...(opts.instructions ? { instructions: opts.instructions } : {}),
      },
      scale,
      criteria,
      likert,
      preferences,
    },
    "collectRatings",
  );
}
