// Both halves of an unforgeable grade (transcript.ts): recordAnswer runs in the learner's kernel
// after their cells, judgeTranscript in the grader's own fresh process. A check's displayed record
// and the kernel's verdict are never read.
import { writeFileSync } from "fs";
import { exercise, submittedAnswer, withHint } from "./check";
import "./codecs";
import { Divergence, Recorder, Replayer, Transcript } from "./transcript";
import type { CheckResult } from "./check";

/** Kernel side: the checker against the submitted answer, every question it asks written down. */
export function recordAnswer(id: string): Transcript {
  const given = submittedAnswer(id);
  if (!given) return { id, ops: [] };
  const rec = new Recorder();
  const root = rec.encode(given.answer);
  try {
    exercise(id).check(root.view);
  } catch {
    // What the checker does with a throw is in the record already; its verdict here is not used.
  }
  return { id, answer: root.enc, ops: rec.ops };
}

/** The grader's cell: the record as a file (JSON) in the submission's scratch folder. */
export function writeRecord(id: string, file: string): void {
  writeFileSync(file, JSON.stringify(recordAnswer(id)));
}

let prototypes: Map<string, object> | undefined;
/** Classes the course exports, by name, found by walking src/index's namespaces once. */
function prototypeFor(names: string[]): object | undefined {
  if (!prototypes) {
    prototypes = new Map();
    const api = require("../index") as Record<string, unknown>;
    for (const ns of Object.values(api)) {
      if (!ns || typeof ns !== "object") continue;
      for (const v of Object.values(ns as Record<string, unknown>)) {
        if (typeof v === "function" && v.prototype && typeof v.name === "string" && !prototypes.has(v.name))
          prototypes.set(v.name, v.prototype as object);
      }
    }
  }
  return names.length ? prototypes.get(names[0]) : undefined;
}

/** Trusted side: the pristine checker against the record's answers; the only verdict that counts. */
export function judgeTranscript(t: Transcript): CheckResult {
  const ex = exercise(t.id);
  if (t.answer === undefined)
    return {
      id: t.id,
      ok: false,
      message: `no answer: the notebook never called llm.course.check("${t.id}", ...) (is the line still the last of its cell?)`,
    };
  const rp = new Replayer(t, prototypeFor);
  let ok = false;
  let message: string;
  try {
    const v = ex.check(rp.answer());
    [ok, message] = [v.ok === true, String(v.message)];
  } catch (err) {
    message =
      err instanceof Divergence
        ? ""
        : `your answer threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
  }
  if (rp.diverged)
    [ok, message] = [
      false,
      `the record of your answer does not answer the checker's questions (${rp.diverged}): was the checker, llm.course or the answer changed by the notebook?`,
    ];
  return { id: t.id, ok, message: withHint({ ok, message }, ex) };
}
