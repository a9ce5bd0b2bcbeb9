// Releasing an assignment: the student version of a notebook (outputs cleared, answer cells with
// their placeholders) carries a fingerprint of every protected cell, i.e. every cell that is not
// an answer cell. Before grading, protected cells a learner edited or deleted are put back from the
// release; the learner's answer cells and any cells they added stay where they were.
import { createHash } from "crypto";
import type { Cell, Notebook } from "../book/notebook";
import { joinText } from "../book/notebook";
import { exerciseId } from ".";

export const fingerprint = (c: Cell): string =>
  createHash("sha256")
    .update(`${c.cell_type}\0${joinText(c.source)}`)
    .digest("hex")
    .slice(0, 16);

const isAnswer = (c: Cell): boolean => c.cell_type === "code" && exerciseId(c) !== undefined;

/** The student version: no outputs, and metadata.llmlab.protected = {cell id: fingerprint}. */
export function studentVersion(nb: Notebook, name: string, solutions: Record<string, string> = {}): Notebook {
  const out: Notebook = JSON.parse(JSON.stringify(nb));
  const ids = new Set<string>();
  for (const c of out.cells) {
    if (!c.id)
      throw new Error(`assign: ${name} has a cell without an id (nbformat 4.5 gives every cell one; run llmlab lint)`);
    if (ids.has(c.id)) throw new Error(`assign: ${name} has two cells with id ${c.id}`);
    ids.add(c.id);
    if (c.cell_type === "code") [c.outputs, c.execution_count] = [[], null];
    const id = exerciseId(c);
    if (id !== undefined && solutions[id] !== undefined && joinText(c.source).trim() === solutions[id].trim())
      throw new Error(`assign: ${name}: the answer cell of ${id} holds its solution, not a placeholder`);
  }
  const protectedCells = Object.fromEntries(out.cells.filter((c) => !isAnswer(c)).map((c) => [c.id!, fingerprint(c)]));
  out.metadata = { ...out.metadata, llmlab: { ...((out.metadata.llmlab as object) ?? {}), protected: protectedCells } };
  return out;
}

/**
 * The submission with the release's protected cells: edited ones replaced, deleted ones put back
 * where the release has them. Answer cells come from the submission (the release's placeholder if
 * one was deleted); cells the learner added stay after the release cell they followed.
 */
export function restoreProtected(release: Notebook, submission: Notebook): { notebook: Notebook; restored: string[] } {
  const answers = new Map<string, Cell>();
  const byId = new Map<string, Cell>();
  const added = new Map<string | null, Cell[]>(); // release cell id it follows (null: the top) -> learner cells
  const releaseIds = new Set(release.cells.map((c) => c.id));
  const releaseAnswers = new Set(release.cells.filter(isAnswer).map((c) => exerciseId(c)));
  let anchor: string | null = null;
  for (const c of submission.cells) {
    const ex = isAnswer(c) ? exerciseId(c) : undefined;
    if (ex !== undefined && releaseAnswers.has(ex) && !answers.has(ex)) {
      answers.set(ex, c);
      anchor = release.cells.find((r) => isAnswer(r) && exerciseId(r) === ex)!.id ?? anchor;
    } else if (c.id && releaseIds.has(c.id) && !byId.has(c.id)) {
      byId.set(c.id, c);
      anchor = c.id;
    } else {
      const list = added.get(anchor) ?? [];
      list.push(c);
      added.set(anchor, list);
    }
  }
  const restored: string[] = [];
  const cells: Cell[] = [...(added.get(null) ?? [])];
  for (const r of release.cells) {
    if (isAnswer(r)) cells.push(answers.get(exerciseId(r)!) ?? JSON.parse(JSON.stringify(r)));
    else {
      const mine = byId.get(r.id!);
      if (!mine || fingerprint(mine) !== fingerprint(r)) restored.push(r.id!);
      cells.push(mine && fingerprint(mine) === fingerprint(r) ? mine : JSON.parse(JSON.stringify(r)));
    }
    cells.push(...(added.get(r.id!) ?? []));
  }
  return { notebook: { ...submission, cells }, restored };
}
