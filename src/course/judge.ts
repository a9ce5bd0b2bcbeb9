// Small helpers for checkers: shape checks that explain themselves, and calling learner code.
import type { Verdict } from "./check";

export const pass = (message: string): Verdict => ({ ok: true, message });
export const fail = (message: string): Verdict => ({ ok: false, message });

export const show = (v: unknown): string => {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "function") return `a function`;
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
};

/** The answer as a function, or a verdict saying what was given instead. */
export function asFunction(answer: unknown, name: string): ((...args: never[]) => unknown) | Verdict {
  if (typeof answer === "function") return answer as (...args: never[]) => unknown;
  return fail(
    `expected your function \`${name}\` itself (pass it without calling it), got ${answer === undefined ? "undefined" : typeof answer}`,
  );
}

export function asRecord(answer: unknown, what: string): Record<string, unknown> | Verdict {
  if (answer !== null && typeof answer === "object" && !Array.isArray(answer)) return answer as Record<string, unknown>;
  return fail(`expected ${what}, got ${show(answer)}`);
}

export const isVerdict = (v: unknown): v is Verdict =>
  v !== null && typeof v === "object" && "ok" in v && "message" in v && typeof (v as Verdict).ok === "boolean";

export const close = (a: number, b: number, tol = 1e-9): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
