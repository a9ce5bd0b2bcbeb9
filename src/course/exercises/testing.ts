// Shared by the checkers' tests: a checker's verdict, and an assertion that an answer fails
// with a message naming the slip. Every verdict is also made the way the grader makes it (the
// answer recorded, carried as JSON, the checker replayed against the record: trusted.ts), and the
// two must agree, so each checker's tests also test that it can be graded unforgeably.
import { check, judgeTranscript, recordAnswer } from "..";

export function verdict(id: string, answer: unknown) {
  const direct = check(id, answer).toJSON();
  const graded = judgeTranscript(JSON.parse(JSON.stringify(recordAnswer(id))));
  expect(graded).toEqual(direct);
  return direct;
}

export function fails(id: string, answer: unknown, pattern: RegExp): void {
  const v = verdict(id, answer);
  expect(v.ok).toBe(false);
  expect(v.message).toMatch(pattern);
}

/** A right answer to 03.1, as notebook 03's solution writes it (notebooks/solutions/03-tokenisation.json). */
export function mergePair(ids: number[], pair: [number, number], newId: number): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < ids.length) {
    if (i < ids.length - 1 && ids[i] === pair[0] && ids[i + 1] === pair[1]) {
      out.push(newId);
      i += 2;
    } else {
      out.push(ids[i]);
      i += 1;
    }
  }
  return out;
}
