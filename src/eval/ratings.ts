// The ratings file: Likert scores (rater, item, system, criterion, score) and blind A/B
// preferences (rater, item, a, b, winner), with a mandatory statement of where they came from.
// A human-evaluation number is only as honest as its provenance, so the loader refuses a file
// that does not say whether people or a simulator produced it (and, if simulated, how).
import * as fs from "fs";
import * as path from "path";
import Papa from "papaparse";
import type { LikertRow } from "./likert";
import type { Comparison } from "./preference";

export const RATINGS_FORMAT = "llmlab-ratings/1";
export const CRITERIA = ["coherence", "relevance", "fluency"] as const;

export type Provenance =
  | { kind: "human"; description: string; collectedBy: string; date: string; instructions?: string }
  | {
      kind: "simulated";
      description: string;
      model: string;
      generator: string;
      seed: number | string;
      parameters?: Record<string, unknown>;
    };

export interface PreferenceRow extends Comparison {
  rater: string;
  item: string;
}

export interface RatingsFile {
  format: typeof RATINGS_FORMAT;
  provenance: Provenance;
  scale: { min: number; max: number };
  criteria: string[];
  likert: LikertRow[];
  preferences: PreferenceRow[];
}

export class RatingsFormatError extends Error {
  constructor(
    source: string,
    readonly problems: string[],
  ) {
    super(
      `${source}: invalid ratings file (${problems.length} problem${problems.length > 1 ? "s" : ""}):\n  - ${problems.slice(0, 20).join("\n  - ")}${problems.length > 20 ? `\n  - ... and ${problems.length - 20} more` : ""}`,
    );
    this.name = "RatingsFormatError";
  }
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const nonEmpty = (x: unknown): x is string => typeof x === "string" && x.trim().length > 0;

function checkProvenance(p: unknown, problems: string[]): Provenance | undefined {
  if (!isObj(p)) {
    problems.push(
      `provenance: missing; expected {kind: "human", description, collectedBy, date} or {kind: "simulated", description, model, generator, seed}`,
    );
    return undefined;
  }
  const need = (field: string): void => {
    if (!nonEmpty(p[field]) && !(field === "seed" && typeof p[field] === "number"))
      problems.push(`provenance.${field}: missing; a ${String(p.kind)} ratings file must state it`);
  };
  if (p.kind === "human") ["description", "collectedBy", "date"].forEach(need);
  else if (p.kind === "simulated") ["description", "model", "generator", "seed"].forEach(need);
  else problems.push(`provenance.kind: expected "human" or "simulated", got ${JSON.stringify(p.kind)}`);
  return p as unknown as Provenance;
}

/** Validate an already-parsed object; every problem is reported at once, each with its place. */
export function validateRatings(raw: unknown, source = "ratings"): RatingsFile {
  const problems: string[] = [];
  if (!isObj(raw)) throw new RatingsFormatError(source, ["top level: expected a JSON object"]);
  if (raw.format !== RATINGS_FORMAT)
    problems.push(`format: expected "${RATINGS_FORMAT}", got ${JSON.stringify(raw.format)}`);
  const provenance = checkProvenance(raw.provenance, problems);
  if (raw.scale !== undefined && !isObj(raw.scale))
    problems.push(`scale: expected {min, max}, got ${JSON.stringify(raw.scale)}`);
  const scale = isObj(raw.scale) ? raw.scale : { min: 1, max: 5 };
  const min = scale.min;
  const max = scale.max;
  if (!Number.isInteger(min) || !Number.isInteger(max) || (min as number) >= (max as number))
    problems.push(`scale: expected integers min < max, got ${JSON.stringify(raw.scale)}`);
  const criteria = Array.isArray(raw.criteria) ? raw.criteria : [...CRITERIA];
  if (!criteria.every(nonEmpty))
    problems.push(`criteria: expected an array of names, got ${JSON.stringify(raw.criteria)}`);
  const likert = raw.likert ?? [];
  const prefs = raw.preferences ?? [];
  if (!Array.isArray(likert)) problems.push("likert: expected an array of {rater, item, system, criterion, score}");
  if (!Array.isArray(prefs)) problems.push("preferences: expected an array of {rater, item, a, b, winner}");
  const seen = new Set<string>();
  (Array.isArray(likert) ? likert : []).forEach((r: unknown, i: number) => {
    const at = `likert[${i}]`;
    if (!isObj(r)) return void problems.push(`${at}: expected an object`);
    for (const f of ["rater", "item", "system", "criterion"])
      if (!nonEmpty(r[f])) problems.push(`${at}.${f}: expected a non-empty string, got ${JSON.stringify(r[f])}`);
    if (nonEmpty(r.criterion) && !criteria.includes(r.criterion))
      problems.push(`${at}.criterion: "${r.criterion}" is not one of ${JSON.stringify(criteria)}`);
    if (!Number.isInteger(r.score) || (r.score as number) < (min as number) || (r.score as number) > (max as number))
      problems.push(
        `${at}.score: expected an integer in [${String(min)}, ${String(max)}], got ${JSON.stringify(r.score)}`,
      );
    const key = JSON.stringify([r.rater, r.item, r.system, r.criterion]);
    if (seen.has(key))
      problems.push(
        `${at}: duplicate rating by ${String(r.rater)} of ${String(r.item)}/${String(r.system)}/${String(r.criterion)}`,
      );
    seen.add(key);
  });
  (Array.isArray(prefs) ? prefs : []).forEach((r: unknown, i: number) => {
    const at = `preferences[${i}]`;
    if (!isObj(r)) return void problems.push(`${at}: expected an object`);
    for (const f of ["rater", "item", "a", "b"])
      if (!nonEmpty(r[f])) problems.push(`${at}.${f}: expected a non-empty string, got ${JSON.stringify(r[f])}`);
    if (r.a === r.b) problems.push(`${at}: a and b are the same system "${String(r.a)}"`);
    if (!["a", "b", "tie"].includes(r.winner as string))
      problems.push(`${at}.winner: expected "a", "b" or "tie", got ${JSON.stringify(r.winner)}`);
  });
  if (problems.length) throw new RatingsFormatError(source, problems);
  return {
    format: RATINGS_FORMAT,
    provenance: provenance!,
    scale: { min: min as number, max: max as number },
    criteria: criteria as string[],
    likert: likert as LikertRow[],
    preferences: prefs as PreferenceRow[],
  };
}

/**
 * CSV form: leading "# key: value" lines carry the metadata (format, provenance fields as
 * provenance.kind / provenance.model / ..., scale.min, scale.max, criteria as a comma list),
 * then one table with a header: either rater,item,system,criterion,score (Likert) or
 * rater,item,a,b,winner (preferences).
 */
export function parseRatingsCsv(text: string, source = "ratings.csv"): RatingsFile {
  const lines = text.split(/\r?\n/);
  const meta: Record<string, string> = {};
  let first = 0;
  while (first < lines.length && (lines[first].startsWith("#") || lines[first].trim() === "")) {
    const m = /^#\s*([\w.]+)\s*:\s*(.*)$/.exec(lines[first]);
    if (m) meta[m[1]] = m[2].trim();
    first++;
  }
  const parsed = Papa.parse<Record<string, string>>(lines.slice(first).join("\n"), {
    header: true,
    skipEmptyLines: true,
  });
  const lineOf = (row: number): number => first + row + 2; // 1-based, after the header line
  const problems = parsed.errors.map((e) => `line ${lineOf(e.row ?? 0)}: ${e.message}`);
  const cols = parsed.meta.fields ?? [];
  const provenance: Record<string, unknown> = {};
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(meta)) {
    if (k.startsWith("provenance.parameters.")) params[k.slice(22)] = Number.isNaN(Number(v)) ? v : Number(v);
    else if (k.startsWith("provenance."))
      provenance[k.slice(11)] = k === "provenance.seed" && /^\d+$/.test(v) ? Number(v) : v;
  }
  if (Object.keys(params).length) provenance.parameters = params;
  const obj: Record<string, unknown> = {
    format: meta.format,
    provenance: Object.keys(provenance).length ? provenance : undefined,
    scale: { min: Number(meta["scale.min"] ?? 1), max: Number(meta["scale.max"] ?? 5) },
    criteria: meta.criteria ? meta.criteria.split(",").map((s) => s.trim()) : [...CRITERIA],
  };
  const likertCols = ["rater", "item", "system", "criterion", "score"];
  const prefCols = ["rater", "item", "a", "b", "winner"];
  if (likertCols.every((c) => cols.includes(c))) {
    obj.likert = parsed.data.map((r) => ({
      rater: r.rater,
      item: r.item,
      system: r.system,
      criterion: r.criterion,
      score: r.score === "" ? NaN : Number(r.score),
    }));
  } else if (prefCols.every((c) => cols.includes(c))) {
    obj.preferences = parsed.data.map((r) => ({ rater: r.rater, item: r.item, a: r.a, b: r.b, winner: r.winner }));
  } else {
    problems.push(
      `line ${first + 1}: header ${JSON.stringify(cols)} is neither ${likertCols.join(",")} nor ${prefCols.join(",")}`,
    );
  }
  if (problems.length) throw new RatingsFormatError(source, problems);
  try {
    return validateRatings(obj, source);
  } catch (e) {
    // Point at CSV lines rather than array indices.
    if (e instanceof RatingsFormatError) {
      throw new RatingsFormatError(
        source,
        e.problems.map((p) =>
          p.replace(
            /^(likert|preferences)\[(\d+)\](?:\.(\w+))?/,
            (_m, _t, i: string, f?: string) => `line ${lineOf(Number(i))}${f ? `, column ${f}` : ""}`,
          ),
        ),
      );
    }
    throw e;
  }
}

export function parseRatingsJson(text: string, source = "ratings.json"): RatingsFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new RatingsFormatError(source, [`not valid JSON: ${(e as Error).message}`]);
  }
  return validateRatings(raw, source);
}

/** JSON Lines: {format, provenance, scale, criteria}, then {"likert": row} and {"preference": row} lines. */
export function ratingsToJsonl(file: RatingsFile): string {
  const head = { format: file.format, provenance: file.provenance, scale: file.scale, criteria: file.criteria };
  return (
    [head, ...file.likert.map((likert) => ({ likert })), ...file.preferences.map((preference) => ({ preference }))]
      .map((x) => JSON.stringify(x))
      .join("\n") + "\n"
  );
}

export function parseRatingsJsonl(text: string, source = "ratings.jsonl"): RatingsFile {
  const lines = text
    .split(/\r?\n/)
    .map((l, i) => [l, i + 1] as const)
    .filter(([l]) => l.trim() !== "");
  const parsed: Record<string, unknown>[] = [];
  for (const [l, n] of lines) {
    try {
      parsed.push(JSON.parse(l));
    } catch (e) {
      throw new RatingsFormatError(source, [`line ${n}: not valid JSON: ${(e as Error).message}`]);
    }
  }
  if (!parsed.length)
    throw new RatingsFormatError(source, ["empty: expected a header line {format, provenance, scale, criteria}"]);
  const [head, ...rows] = parsed;
  const bad = rows.findIndex((r) => !("likert" in r) && !("preference" in r));
  if (bad >= 0)
    throw new RatingsFormatError(source, [
      `line ${lines[bad + 1][1]}: expected {"likert": {...}} or {"preference": {...}}`,
    ]);
  return validateRatings(
    {
      ...head,
      likert: rows.filter((r) => "likert" in r).map((r) => r.likert),
      preferences: rows.filter((r) => "preference" in r).map((r) => r.preference),
    },
    source,
  );
}

/** Load a .json, .jsonl or .csv ratings file; errors name the file and every problem in it. */
export function loadRatings(file: string): RatingsFile {
  const text = fs.readFileSync(file, "utf8");
  const ext = path.extname(file).toLowerCase();
  if (ext === ".json") return parseRatingsJson(text, file);
  if (ext === ".csv") return parseRatingsCsv(text, file);
  if (ext === ".jsonl") return parseRatingsJsonl(text, file);
  throw new Error(`loadRatings: ${file}: expected a .json, .jsonl or .csv file`);
}

/** JSON with one row per line (readable diffs), written to a temp file and renamed. */
export function ratingsToJson(r: RatingsFile): string {
  const rows = (xs: object[]): string =>
    xs.length ? `[\n    ${xs.map((x) => JSON.stringify(x)).join(",\n    ")}\n  ]` : "[]";
  return `{\n  "format": ${JSON.stringify(r.format)},\n  "provenance": ${JSON.stringify(r.provenance, null, 2).replace(/\n/g, "\n  ")},\n  "scale": ${JSON.stringify(r.scale)},\n  "criteria": ${JSON.stringify(r.criteria)},\n  "likert": ${rows(r.likert)},\n  "preferences": ${rows(r.preferences)}\n}\n`;
}

export function writeRatings(file: string, r: RatingsFile): void {
  validateRatings(JSON.parse(JSON.stringify(r)), file);
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, ratingsToJson(r));
  fs.renameSync(tmp, file);
}
