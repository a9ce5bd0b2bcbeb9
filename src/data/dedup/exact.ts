// Exact dedup: documents equal after dedupKey (case, punctuation, spacing ignored) share
// a SHA-256; the first one seen is kept.
import { createHash } from "node:crypto";
import { dedupKey } from "../normalize";

export function exactHash(text: string): string {
  return createHash("sha256").update(dedupKey(text)).digest("hex");
}

export class ExactDeduper {
  private readonly seen = new Map<string, string>();
  /** Returns the id of the earlier identical document, or null (and remembers this one). */
  check(id: string, text: string): string | null {
    const h = exactHash(text);
    const prev = this.seen.get(h);
    if (prev !== undefined) return prev;
    this.seen.set(h, id);
    return null;
  }
}
