// Every registered exercise: the reference answer passes, typical wrong answers fail with a
// message that says what is wrong. The reference answers are the notebooks' solutions.
import { check, CHECK_MIME, exercises } from ".";
import { optimalParam } from "../data";
import { trainBPE } from "../tokenize";
import { fails as failsAs, mergePair, verdict } from "./exercises/testing";
import { JUPYTER_DISPLAY } from "./check";

const fails = (id: string, answer: unknown, pattern: RegExp) => {
  failsAs(id, answer, pattern);
  expect(verdict(id, answer).message).toMatch(/Hint: /);
};

describe("check()", () => {
  it("returns a displayable result with a machine-readable record", () => {
    const r = check("03.1", undefined);
    const bundle = r[JUPYTER_DISPLAY]();
    expect(bundle.data[CHECK_MIME]).toEqual({ id: "03.1", ok: false, message: r.message });
    expect(bundle.data["text/html"]).toContain("not yet");
    expect(bundle.data["text/plain"]).toMatch(/^✗ 03\.1/);
    expect(bundle.metadata).toEqual({});
  });
  it("escapes the message in HTML", () => {
    const html = check("01.2", () => "<b>").toJSON().message;
    expect(check("01.2", () => "<b>")[JUPYTER_DISPLAY]().data["text/html"]).not.toContain("<b>");
    expect(html).toContain("<b>");
  });
  it("names the known ids for an unknown one", () => {
    expect(() => check("99.9", 1)).toThrow(/no exercise "99\.9"; known: 01\.1, 01\.2/);
  });
  it("turns an answer that throws into a failed check", () => {
    fails(
      "03.1",
      () => {
        throw new RangeError("boom");
      },
      /threw RangeError: boom/,
    );
  });
  it("has at least two exercises per notebook 01-10", () => {
    for (const nb of ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10"])
      expect(exercises().filter((e) => e.id.startsWith(`${nb}.`)).length).toBeGreaterThanOrEqual(2);
  });
});

describe("01 data collection", () => {
  const byteShares = (summary: { bytes: number; rows: { source: string; bytes: number }[] }) => {
    const shares: Record<string, number> = {};
    for (const r of summary.rows) shares[r.source] = (shares[r.source] ?? 0) + r.bytes / summary.bytes;
    return shares;
  };
  it("01.1 passes the reference, explains overwriting, bytes and the placeholder", () => {
    expect(verdict("01.1", byteShares).ok).toBe(true);
    fails(
      "01.1",
      (s: { bytes: number; rows: { source: string; bytes: number }[] }) =>
        Object.fromEntries(s.rows.map((r) => [r.source, r.bytes / s.bytes])),
      /add to its share instead of overwriting/,
    );
    fails(
      "01.1",
      (s: { rows: { source: string; bytes: number }[] }) => {
        const o: Record<string, number> = {};
        for (const r of s.rows) o[r.source] = (o[r.source] ?? 0) + r.bytes;
        return o;
      },
      /divide by `summary.bytes`/,
    );
    fails("01.1", () => ({}), /nothing was added/);
    fails("01.1", byteShares({ bytes: 1, rows: [] }), /expected your function `byteShares/);
  });
  it("01.2 passes the reference, explains spaces and a single replacement", () => {
    expect(verdict("01.2", (t: string) => t.replace(/ -- /g, "—")).ok).toBe(true);
    fails("01.2", (t: string) => t.replace(/--/g, "—"), /no spaces around/);
    fails("01.2", (t: string) => t.replace(" -- ", "—"), /only the first one was replaced/);
    fails("01.2", (t: string) => t, /a `--` is still there/);
  });
});

describe("02 preprocessing", () => {
  it("02.1 passes the reference, explains ASCII-only, all-characters and the boundary", () => {
    const count = (t: string, re: RegExp) => t.match(re)?.length ?? 0;
    expect(verdict("02.1", (t: string) => count(t, /\p{Lu}/gu) > 0.3 * count(t, /\p{L}/gu)).ok).toBe(true);
    fails("02.1", () => false, /every letter is upper case/);
    fails("02.1", (t: string) => count(t, /[A-Z]/g) > 0.3 * count(t, /[A-Za-zÀ-ÿ]/g), /É is an upper-case letter/);
    fails("02.1", (t: string) => count(t, /\p{Lu}/gu) > 0.3 * t.length, /digits and spaces are not letters/);
    fails("02.1", (t: string) => count(t, /\p{Lu}/gu) >= 0.3 * count(t, /\p{L}/gu), /not \*more\* than 30%/);
  });
  it("02.2 passes the reference loop, explains an empty loop and a non-maximal answer", () => {
    let bestT = 0,
      mostBands = 0;
    for (let t = 0.5; t <= 0.951; t += 0.05) {
      const p = optimalParam(t, 16);
      if (p.bands > mostBands) [mostBands, bestT] = [p.bands, t];
    }
    expect(verdict("02.2", { threshold: bestT, bands: mostBands, numPerm: 16 }).ok).toBe(true);
    fails("02.2", { threshold: 0, bands: 0, numPerm: 16 }, /still 0/);
    fails("02.2", { threshold: 0.95, bands: optimalParam(0.95, 16).bands, numPerm: 16 }, /another threshold gives/);
    fails("02.2", { threshold: 0.95, bands: mostBands, numPerm: 16 }, /same iteration/);
  });
});

describe("03 tokenisation", () => {
  it("03.1 passes the reference, explains overlaps, the last pair and mutation", () => {
    expect(verdict("03.1", mergePair).ok).toBe(true);
    fails("03.1", (ids: number[]) => ids.slice(), /minbpe's example/);
    fails(
      "03.1",
      (ids: number[], p: [number, number], n: number) =>
        ids
          .map((x, i) => ((x === p[0] && ids[i + 1] === p[1]) || (x === p[1] && ids[i - 1] === p[0]) ? n : x))
          .filter((x, i, a) => !(x === n && a[i - 1] === n)),
      /.+/,
    );
    fails(
      "03.1",
      (ids: number[], p: [number, number], n: number) => {
        const out: number[] = [];
        let i = 0;
        for (; i < ids.length - 1;) {
          if (ids[i] === p[0] && ids[i + 1] === p[1]) [out[out.length], i] = [n, i + 2];
          else out.push(ids[i++]);
        }
        return out; // forgets the last id when the loop stops early
      },
      /expected \[256,97,98,100,256,97,98,97,99\]/,
    );
    fails(
      "03.1",
      (ids: number[], p: [number, number], n: number) => {
        for (let i = 0; i < ids.length - 1; i++) if (ids[i] === p[0] && ids[i + 1] === p[1]) ids.splice(i, 2, n);
        return ids;
      },
      /changed its input ids/,
    );
  });
  it("03.2 passes the reference, explains characters and the inverse", () => {
    const utf8 = (s: string) => new TextEncoder().encode(s).length;
    expect(
      verdict("03.2", (tok: { encode(t: string): number[] }, t: string) => utf8(t) / tok.encode(t).length).ok,
    ).toBe(true);
    fails(
      "03.2",
      (tok: { encode(t: string): number[] }, t: string) => t.length / tok.encode(t).length,
      /counts characters/,
    );
    fails("03.2", (tok: { encode(t: string): number[] }, t: string) => tok.encode(t).length / utf8(t), /the inverse/);
    fails("03.2", () => NaN, /returned NaN/);
  });
  describe("with two small tokenizers", () => {
    const text =
      "In 1999 there were 2000000 people and 1234567 sheep; 20000 cows cost 1000000 dollars in 2000. ".repeat(30);
    const gpt4 = trainBPE(text, { vocabSize: 300 });
    const gpt2 = trainBPE(text, { vocabSize: 300, pattern: "gpt2" });
    it("03.3 passes digits that split differently, explains equal counts and non-digits", () => {
      expect(verdict("03.3", { digits: "2000000", gpt2, gpt4 }).ok).toBe(true);
      fails("03.3", { digits: "7", gpt2, gpt4 }, /1 tokens under both/);
      fails("03.3", { digits: "", gpt2, gpt4 }, /string of digits/);
    });
    it("03.4 finds the smallest size reaching the fewest tokens, and says why others are not", () => {
      const tokenizer = (n: number) => ({
        encode: (s: string) => Array.from({ length: s === " computer" ? n : 1 }, () => 0),
      });
      const sweep = [
        { vocabSize: 256, tokenizer: tokenizer(9) },
        { vocabSize: 1024, tokenizer: tokenizer(2) },
        { vocabSize: 512, tokenizer: tokenizer(2) },
      ];
      expect(verdict("03.4", { vocabSize: 512, sweep }).ok).toBe(true);
      expect(verdict("03.4", { vocabSize: 512, sweep }).message).toMatch(/never becomes one token/);
      fails("03.4", { vocabSize: 1024, sweep }, /a smaller size already does as well/);
      fails("03.4", { vocabSize: undefined, sweep }, /not yet/);
      fails("03.4", { vocabSize: 256, sweep }, /is 9 tokens, but a size in the sweep gets it down to 2/);
      fails("03.4", { vocabSize: 300, sweep }, /not one of the sweep's sizes/);
      const whole = [
        { vocabSize: 256, tokenizer: tokenizer(9) },
        { vocabSize: 512, tokenizer: tokenizer(1) },
      ];
      expect(verdict("03.4", { vocabSize: 512, sweep: whole }).message).toMatch(/earn its own merge/);
    });
  });
});
