// 10's checkers: the reference answer passes, the usual slips fail and are named.
import { interleave } from "../../eval";
import { fails, verdict } from "./testing";

type Sources = Record<string, { train: string[]; val: string[] }>;

describe("10.1 a sotu-heavy mix", () => {
  it("passes sotu twice and names the equal mix, leaked val passages and mutation", () => {
    const others = (s: Sources) =>
      Object.entries(s)
        .filter(([k]) => k !== "sotu")
        .map(([, x]) => x.train);
    expect(verdict("10.1", (s: Sources) => interleave([s.sotu.train, s.sotu.train, ...others(s)])).ok).toBe(true);
    fails("10.1", (s: Sources) => interleave(Object.values(s).map((x) => x.train)), /appears 1 time, expected 2/);
    fails(
      "10.1",
      (s: Sources) => interleave([s.sotu.train, s.sotu.train, s.sotu.val, ...others(s)]),
      /held-out passages/,
    );
    fails(
      "10.1",
      (s: Sources) => {
        s.sotu.train.push(...s.sotu.train);
        return interleave(Object.values(s).map((x) => x.train));
      },
      /changed the sources/,
    );
  });
});

describe("10.2 CDA without names", () => {
  it("passes a sentence with a name and explains one without", () => {
    expect(verdict("10.2", { sentence: "John said he would ask his sister." }).ok).toBe(true);
    fails("10.2", { sentence: "He said his sister would come." }, /no first name/);
    fails("10.2", { sentence: "The cat sat." }, /no gendered word or name/);
    fails("10.2", { sentence: "" }, /non-empty string/);
  });
});
