// Notebook 09's rating form as widgets: every question collectRatings would ask, at once, as
// buttons (a score per output and criterion, then the blind A/B choice), and one Submit button.
// Submit feeds the chosen answers to collectRatings in its own order, so the form produces
// exactly the file the one-question-at-a-time input() path produces for the same answers.
// src/ knows nothing of Jupyter: the caller passes the factories (the kernel's `widgets`).
import {
  CollectOptions,
  PREFERENCE_ANSWERS,
  RatingItem,
  RatingQuestion,
  collectRatings,
  ratingQuestions,
} from "./collect";
import type { RatingsFile } from "./ratings";
import { escapeHtml } from "../viz/html";

/** What the form needs of a widget: any widget the factories below make can go in a box. */
export interface FormWidget {
  readonly id: string;
}

export interface FormChoice extends FormWidget {
  /** The chosen option's value; null until the rater picks one. */
  value: string | null;
}

export interface FormText extends FormWidget {
  value: string;
}

export interface FormButton extends FormWidget {
  onClick(fn: () => unknown): void;
}

/** The widget factories the form uses, as the kernel's `widgets` global has them. */
export interface FormWidgets {
  toggleButtons(o: {
    options: (readonly [string, string])[];
    description?: string;
    tooltips?: string[];
    style?: Record<string, unknown>;
  }): FormChoice;
  button(o: {
    description?: string;
    button_style?: "" | "primary" | "success";
    icon?: string;
    layout?: { width?: string };
  }): FormButton;
  html(o: { value?: string }): FormText;
  vbox(children: FormWidget[]): FormWidget;
  hbox(children: FormWidget[]): FormWidget;
}

export interface RatingFormOptions extends Omit<CollectOptions, "retries" | "signal"> {
  /** Called with the ratings file on every complete Submit (a later Submit replaces it). */
  onSubmit?: (file: RatingsFile) => unknown;
}

export interface RatingForm {
  /** The form to display: one box per item, then Submit and a status line. */
  widget: FormWidget;
  /** One control per question, in collectRatings' order. */
  choices: FormChoice[];
  questions: RatingQuestion[];
  /** What Submit does: the file, or undefined (and the status says which answers are missing). */
  submit(): Promise<RatingsFile | undefined>;
}

const where = (q: RatingQuestion) =>
  q.kind === "score" ? `${q.item.id}: Output ${q.output} ${q.criterion}` : `${q.item.id}: which is better`;

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

export function ratingForm(items: readonly RatingItem[], w: FormWidgets, opts: RatingFormOptions): RatingForm {
  const scale = opts.scale ?? { min: 1, max: 5 };
  const questions = ratingQuestions(items, opts);
  const scores = Array.from({ length: scale.max - scale.min + 1 }, (_, i) => String(scale.min + i));
  const style = { description_width: "11em", button_width: "3.2em" };
  const choices = questions.map((q) => {
    const c =
      q.kind === "score"
        ? w.toggleButtons({
            options: scores.map((s) => [s, s] as const),
            description: `Output ${q.output}: ${q.criterion}`,
            style,
          })
        : w.toggleButtons({
            options: PREFERENCE_ANSWERS.map((a) => [a === "t" ? "tie" : `Output ${a}`, a] as const),
            description: "better overall",
            style: { ...style, button_width: "6em" },
          });
    c.value = null; // nothing is pre-chosen: an unanswered question must stay visibly unanswered
    return c;
  });
  const boxes = items.map((item) => {
    const mine = questions.flatMap((q, i) => (q.item === item ? [i] : []));
    if (!mine.length) return w.vbox([]);
    const header = `<b>${escapeHtml(item.id)}</b><pre style="white-space: pre-wrap">${escapeHtml(questions[mine[0]].header.trim())}</pre>`;
    return w.vbox([w.html({ value: header }), ...mine.map((i) => choices[i])]);
  });
  const button = w.button({
    description: "Submit ratings",
    button_style: "primary",
    icon: "check",
    layout: { width: "12em" },
  });
  const status = w.html({ value: `${questions.length} questions; nothing recorded yet.` });

  const submit = async (): Promise<RatingsFile | undefined> => {
    const missing = questions.filter((_, i) => choices[i].value === null);
    if (missing.length) {
      status.value = escapeHtml(
        `Not recorded: ${missing.length} of ${questions.length} answers missing (${missing.slice(0, 3).map(where).join("; ")}${missing.length > 3 ? "; ..." : ""}).`,
      );
      return undefined;
    }
    const answers = choices.map((c) => c.value as string);
    const file = await collectRatings(
      items,
      () => {
        const a = answers.shift();
        if (a === undefined) throw new Error("ratingForm: fewer answers than collectRatings' questions");
        return a;
      },
      { ...opts, retries: 0 },
    );
    // No per-system figures here: the rater may change an answer and submit again, still blind.
    status.value = escapeHtml(
      `Recorded ${count(file.likert.length, "score")} and ${count(file.preferences.length, "A/B choice")}; change any and Submit again to replace them.`,
    );
    await opts.onSubmit?.(file);
    return file;
  };
  button.onClick(submit);
  return { widget: w.vbox([...boxes, w.hbox([button, status])]), choices, questions, submit };
}
