import { History, globToRegExp } from "./history";

// Reference: IPython's HistoryManager.search uses SQLite GLOB (case-sensitive, whole string).
test("glob patterns match as SQLite GLOB does", () => {
  expect(globToRegExp("6 * 7").test("6 * 7")).toBe(true);
  expect(globToRegExp("6 * 7").test("6 * 7 + 1")).toBe(false);
  expect(globToRegExp("a?c").test("abc")).toBe(true);
  expect(globToRegExp("a?c").test("ac")).toBe(false);
  expect(globToRegExp("[ab]x").test("bx")).toBe(true);
  expect(globToRegExp("[^ab]x").test("bx")).toBe(false);
  expect(globToRegExp("*.ts").test("cell.ts")).toBe(true);
  expect(globToRegExp("(x)").test("(x)")).toBe(true);
  expect(globToRegExp("Abc").test("abc")).toBe(false);
});

test("tail, range and search answer as IPython's history_reply", () => {
  const h = new History();
  ["a = 1", "6 * 7", "b", "6 * 7"].forEach((code, i) => h.add(i + 1, code));
  h.setOutput(2, "42");
  expect(h.query({ hist_access_type: "tail", n: 2 })).toEqual([
    [1, 3, "b"],
    [1, 4, "6 * 7"],
  ]);
  expect(h.query({ hist_access_type: "tail", n: 3, output: true })[0]).toEqual([1, 2, ["6 * 7", "42"]]);
  expect(h.query({ hist_access_type: "range", session: 1, start: 2, stop: 3 })).toEqual([[1, 2, "6 * 7"]]);
  expect(h.query({ hist_access_type: "range", session: 7, start: 1, stop: 5 })).toEqual([]);
  expect(h.query({ hist_access_type: "search", pattern: "6*" })).toHaveLength(2);
  expect(h.query({ hist_access_type: "search", pattern: "6*", unique: true })).toEqual([[1, 4, "6 * 7"]]);
  expect(h.query({ hist_access_type: "search", pattern: "*", n: 1 })).toEqual([[1, 4, "6 * 7"]]);
  expect(() => h.query({ hist_access_type: "recent" })).toThrow(/tail, range or search/);
});
