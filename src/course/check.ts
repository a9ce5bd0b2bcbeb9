// Exercise checks: `llm.course.check("03.2", answer)` says whether an answer is right and, when
// it is not, what is wrong with it. Each exercise registers a checker with a hint; the result
// shows itself in Jupyter (Symbol.for("Jupyter.display")) and carries a machine-readable record
// (CHECK_MIME) that `llmlab grade` reads back from the executed notebook.
import { escapeHtml } from "../viz/html";

/** MIME type of the {id, ok, message} record in a check's display bundle (kernel-ext/exercises reads it). */
export const CHECK_MIME = "application/vnd.llmlab.check+json";

export interface Verdict {
  ok: boolean;
  /** What is right or, when not ok, what is wrong (Markdown-style `code` allowed). */
  message: string;
}

export interface Exercise {
  /** "NN.k": notebook number, exercise number. */
  id: string;
  title: string;
  /** Shown after the message when the answer is wrong. */
  hint: string;
  /** Judges an answer; may throw (the learner's code is called): check() turns that into a verdict. */
  check(answer: unknown): Verdict;
}

export interface CheckResult extends Verdict {
  id: string;
}

const registry = new Map<string, Exercise>();

export function registerExercise(ex: Exercise): void {
  if (!/^\d\d\.\d+[a-z]?$/.test(ex.id))
    throw new Error(`registerExercise: id must look like "03.2", got ${JSON.stringify(ex.id)}`);
  if (registry.has(ex.id)) throw new Error(`registerExercise: exercise ${ex.id} is registered twice`);
  registry.set(ex.id, ex);
}

export function exercises(): Exercise[] {
  return [...registry.values()].sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }));
}

export function exercise(id: string): Exercise {
  const ex = registry.get(id);
  if (!ex)
    throw new Error(
      `check: no exercise ${JSON.stringify(id)}; known: ${exercises()
        .map((e) => e.id)
        .join(", ")}`,
    );
  return ex;
}

/** The last answer passed to check() for each exercise, for the grader's record (trusted.ts). */
const submitted = new Map<string, unknown>();
export const submittedAnswer = (id: string): { answer: unknown } | undefined =>
  submitted.has(id) ? { answer: submitted.get(id) } : undefined;

/** Checks an answer. Never throws for a wrong answer (only for an unknown id). */
export function check(id: string, answer: unknown): CheckDisplay {
  const ex = exercise(id);
  submitted.set(id, answer);
  let v: Verdict;
  try {
    v = ex.check(answer);
  } catch (err) {
    v = {
      ok: false,
      message: `your answer threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
    };
  }
  return new CheckDisplay(id, ex.title, v.ok, withHint(v, ex));
}

export const withHint = (v: Verdict, ex: Exercise): string => (v.ok ? v.message : `${v.message}\nHint: ${ex.hint}`);

/** `code` spans become <code>; everything else is escaped text. */
const inlineHtml = (s: string): string =>
  escapeHtml(s)
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/\n/g, "<br>");

/** The kernel's display protocol (kernel-ext/display): a const, so TypeScript types the method. */
export const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");

export class CheckDisplay implements CheckResult {
  constructor(
    readonly id: string,
    readonly title: string,
    readonly ok: boolean,
    readonly message: string,
  ) {}

  toJSON(): CheckResult {
    return { id: this.id, ok: this.ok, message: this.message };
  }

  toString(): string {
    return `${this.ok ? "✓" : "✗"} ${this.id} ${this.title}: ${this.message}`;
  }

  [JUPYTER_DISPLAY](): { data: Record<string, unknown>; metadata: Record<string, unknown> } {
    const colour = this.ok ? "#1a7f37" : "#b35900";
    const html =
      `<div class="llmlab-check" style="border-left:4px solid ${colour};padding:4px 10px;margin:4px 0">` +
      `<strong style="color:${colour}">${this.ok ? "✓ correct" : "✗ not yet"}</strong> · exercise ${escapeHtml(this.id)} (${escapeHtml(this.title)})` +
      `<div>${inlineHtml(this.message)}</div></div>`;
    return { data: { "text/plain": this.toString(), "text/html": html, [CHECK_MIME]: this.toJSON() }, metadata: {} };
  }
}
