import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { brownFileToText, detokenize, untag } from "./sources/brown";
import { loadSource } from "./sources";
import { loadUserFiles } from "./sources/userFiles";
import { Doc } from "./types";

async function take(it: AsyncIterable<Doc>): Promise<Doc[]> {
  const out: Doc[] = [];
  for await (const d of it) out.push(d);
  return out;
}

describe("Brown corpus rebuild", () => {
  test("first sentence of ca01 detokenised (quotes, possessive, final period)", () => {
    const line =
      "The/at Fulton/np-tl County/nn-tl Grand/jj-tl Jury/nn-tl said/vbd Friday/nr an/at investigation/nn of/in Atlanta's/np$ recent/jj primary/nn election/nn produced/vbd ``/`` no/at evidence/nn ''/'' that/cs any/dti irregularities/nns took/vbd place/nn ./.";
    expect(detokenize(untag(line))).toBe(
      'The Fulton County Grand Jury said Friday an investigation of Atlanta\'s recent primary election produced "no evidence" that any irregularities took place.',
    );
  });
  test("commas, parentheses, semicolons, slashes inside words, dashes", () => {
    expect(detokenize(untag("he/pps said/vbd (/( quietly/rb )/) ,/, 1/2/cd ;/. then/rb --/-- left/vbd ?/."))).toBe(
      "he said (quietly), 1/2; then -- left?",
    );
  });
  test("paragraphs separated by blank lines, sentences joined by a space", () => {
    expect(brownFileToText("\n\n\tA/at b/nn ./.\n\tC/at d/nn ./.\n\n\n\tE/at f/nn ./.\n")).toBe("A b. C d.\n\nE f.");
  });
  test("Brown's split chapter-and-verse ('3 : :' + new sentence '16') is rejoined", () => {
    expect(brownFileToText("\t(/( John/np 3/cd :/. :/.\n\t16/cd )/) ./.\n")).toBe("(John 3:16).");
  });
  test("loader: 500 files in 15 genres would load; first doc is ca01, news, 1961", async () => {
    const [d] = await take(loadSource("brown", { limit: 1 }));
    expect(d).toMatchObject({ id: "brown/ca01", source: "brown", genre: "press: reportage", year: 1961 });
    expect(d.text.startsWith("The Fulton County Grand Jury said Friday")).toBe(true);
    expect(d.text).not.toMatch(/\/[a-z$*-]+\b|``|''/);
  });
});

describe("packaged sources", () => {
  test("sotu: year, president and party", async () => {
    const [d] = await take(loadSource("sotu", { limit: 1 }));
    expect(d).toMatchObject({
      id: "sotu/1790_george_washington_n",
      genre: "speech",
      year: 1790,
      metadata: { president: "George Washington", party: "none" },
    });
    expect(d.text).toMatch(/^Fellow-Citizens of the Senate and House of Representatives/);
  });
  test("nlp-corpus: runs of 10 sentences", async () => {
    const docs = await take(loadSource("nlp-corpus", { limit: 3 }));
    expect(docs.map((d) => d.id)).toEqual(["nlp-corpus/doc-0/0", "nlp-corpus/doc-0/1", "nlp-corpus/doc-0/2"]);
    expect(docs[0].text.split("\n")).toHaveLength(10);
  });
  test("spam-assassin: raw messages, interleaved ham and spam when limited", async () => {
    const docs = await take(loadSource("spam-assassin", { limit: 5, verify: false }));
    expect(new Set(docs.map((d) => d.genre))).toEqual(new Set(["ham", "spam"]));
    expect(docs[0].metadata.format).toBe("rfc822");
    expect(docs[0].text).toMatch(/^From /);
  });
  test("unknown source is a clear error", async () => {
    await expect(take(loadSource("wiki" as never))).rejects.toThrow(
      /unknown source "wiki": expected one of sotu, brown, nlp-corpus, spam-assassin/,
    );
  });
});

describe("user files", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmlab-user-"));
  fs.mkdirSync(path.join(dir, "sub"));
  fs.writeFileSync(path.join(dir, "a.txt"), "plain text file");
  fs.writeFileSync(
    path.join(dir, "sub", "b.jsonl"),
    '{"text": "first", "year": 1999}\n\n{"text": "second", "lang": "en"}\n',
  );
  fs.writeFileSync(path.join(dir, "c.csv"), 'id,text,genre\n1,"quoted, with comma",news\n2,"multi\nline",blog\n');
  fs.writeFileSync(path.join(dir, "ignored.bin"), "x");
  test("folder of .txt, .jsonl and .csv, recursively, with metadata", async () => {
    const docs = await take(loadUserFiles(dir));
    expect(docs.map((d) => [d.id, d.text])).toEqual([
      ["user/a.txt", "plain text file"],
      ["user/c.csv#1", "quoted, with comma"],
      ["user/c.csv#2", "multi\nline"],
      ["user/sub/b.jsonl#1", "first"],
      ["user/sub/b.jsonl#2", "second"],
    ]);
    expect(docs[1]).toMatchObject({ genre: "news", metadata: { id: "1" } });
    expect(docs[3].year).toBe(1999);
    expect(docs[4].metadata.lang).toBe("en");
  });
  test("a record without the text field is a clear error naming file and record", async () => {
    const f = path.join(dir, "..", `bad-${process.pid}.jsonl`);
    fs.writeFileSync(f, '{"body": "x"}\n');
    await expect(take(loadUserFiles(f))).rejects.toThrow(/bad-\d+\.jsonl: record 1 has no string field "text"/);
    fs.writeFileSync(f, "{not json\n");
    await expect(take(loadUserFiles(f))).rejects.toThrow(/:1: not valid JSON/);
  });
  test("a missing path is a clear error", async () => {
    await expect(take(loadUserFiles("/nonexistent/x"))).rejects.toThrow(/no such file or folder/);
  });
});
