import { collectRatings } from "../../src/eval/collect";

describe("blind rating collection", () => {
  const items = [
    { id: "i1", prompt: "The Union is", outputs: { base: "strong bad", tuned: "strong good" } },
    { id: "i2", outputs: { base: "bad again", tuned: "good again" } },
    ...Array.from({ length: 6 }, (_, i) => ({ id: `j${i}`, outputs: { base: `bad ${i}`, tuned: `good ${i}` } })),
  ];

  // A scripted rater who likes outputs containing "good": answers depend only on what is shown.
  function rater(log: string[]) {
    return (q: string) => {
      log.push(q);
      const shown = [...q.matchAll(/Output (\d):\n(.*)/g)].map((m) => m[2]);
      const m = /Rate Output (\d)/.exec(q);
      if (m) return shown[+m[1] - 1].includes("good") ? "5" : "2";
      return shown[0].includes("good") ? "1" : "2";
    };
  }

  test("answers are mapped back to the right systems; names never shown", async () => {
    const log: string[] = [];
    const f = await collectRatings(items, rater(log), {
      rater: "me",
      collectedBy: "test",
      description: "scripted",
      date: "2026-11-26",
      seed: 4,
    });
    expect(f.provenance).toEqual({ kind: "human", description: "scripted", collectedBy: "test", date: "2026-11-26" });
    expect(f.likert).toHaveLength(8 * 2 * 3);
    for (const r of f.likert) expect(r.score).toBe(r.system === "tuned" ? 5 : 2);
    for (const p of f.preferences) expect(p.winner === "a" ? p.a : p.b).toBe("tuned");
    expect(log.some((q) => /base|tuned/.test(q))).toBe(false);
    // the display order is randomised: "tuned" is shown first on some items and second on others
    expect(new Set(f.preferences.map((p) => p.a)).size).toBe(2);
  });

  test("invalid answers are re-asked, then it gives up with a clear error", async () => {
    const answers = ["seven", "7", "4"];
    const one = [{ id: "solo", outputs: { base: "text" } }];
    const f = await collectRatings(one, () => answers.shift() ?? "t", {
      rater: "me",
      collectedBy: "t",
      description: "d",
      criteria: ["fluency"],
      ab: false,
      date: "x",
    });
    expect(f.likert[0].score).toBe(4);
    await expect(
      collectRatings(one, () => "?", { rater: "me", collectedBy: "t", description: "d", retries: 1 }),
    ).rejects.toThrow(/no valid answer \(a whole number from 1 to 5\) after 2 tries/);
  });
});
