// Train/val/test splits by document. Leakage has two routes: the same document in two
// splits (prevented by deduplicating the whole corpus *before* splitting, so only one
// member of each duplicate cluster survives) and a hash of position-dependent state
// (prevented by assigning each document from a hash of its id alone: stable across runs,
// independent of order). `findLeakage` checks the result with the same exact + MinHash
// machinery and is what the tests assert on.
import { createHash } from "node:crypto";
import { ExactDeduper } from "./dedup/exact";
import { NearDeduper } from "./dedup/near";

export type Split = "train" | "val" | "test";
export interface SplitFractions {
  val: number;
  test: number;
}

export function assignSplit(id: string, fr: SplitFractions = { val: 0.05, test: 0.05 }, salt = "llmlab"): Split {
  if (fr.val < 0 || fr.test < 0 || fr.val + fr.test >= 1)
    throw new Error(`assignSplit: fractions val=${fr.val} test=${fr.test} must be >= 0 and sum below 1`);
  const u =
    createHash("sha256")
      .update(salt + "\0" + id)
      .digest()
      .readUInt32BE(0) /
    2 ** 32;
  return u < fr.test ? "test" : u < fr.test + fr.val ? "val" : "train";
}

export interface Leak {
  id: string;
  split: Split;
  matches: string;
  matchSplit: Split;
  kind: "exact" | "near";
}

/** Every val/test document that exactly or nearly duplicates a document of another split. */
export function findLeakage(docs: { id: string; text: string; split: Split }[], threshold = 0.8): Leak[] {
  const order: Split[] = ["train", "val", "test"];
  const sorted = [...docs].sort((a, b) => order.indexOf(a.split) - order.indexOf(b.split));
  const splitOf = new Map(docs.map((d) => [d.id, d.split]));
  const exact = new ExactDeduper(),
    near = new NearDeduper({ threshold });
  const leaks: Leak[] = [];
  for (const d of sorted) {
    const e = exact.check(d.id, d.text);
    const hit = e
      ? { of: e, kind: "exact" as const }
      : (() => {
          const n = near.check(d.id, d.text);
          return n ? { of: n.of, kind: "near" as const } : null;
        })();
    if (hit && splitOf.get(hit.of) !== d.split)
      leaks.push({
        id: d.id,
        split: d.split,
        matches: hit.of,
        matchSplit: splitOf.get(hit.of) ?? "train",
        kind: hit.kind,
      });
  }
  return leaks;
}
