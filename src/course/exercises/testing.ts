// Shared by the checkers' tests: a checker's verdict, and an assertion that an answer fails
// with a message naming the slip.
import { check } from "..";

export const verdict = (id: string, answer: unknown) => check(id, answer).toJSON();

export function fails(id: string, answer: unknown, pattern: RegExp): void {
  const v = verdict(id, answer);
  expect(v.ok).toBe(false);
  expect(v.message).toMatch(pattern);
}
