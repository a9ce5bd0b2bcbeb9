// The quality-filter chain. Each filter answers "keep" (null) or "remove, because ...",
// so every removed document carries the name of the rule that removed it and a reason
// with the measured value (what notebook 02 shows).
import { blocklistCheck, BlocklistOptions } from "./blocklist";
import { gopherCheck, GOPHER_RULES } from "./gopher";
import { languageCheck, LanguageOptions } from "./language";

export interface FilterOptions {
  language?: LanguageOptions | false;
  gopher?: boolean;
  blocklist?: BlocklistOptions | false;
}

export interface Removal {
  filter: string;
  reason: string;
}

export const FILTER_NAMES: string[] = ["language", ...GOPHER_RULES, "blocklist"];

export function applyFilters(text: string, opts: FilterOptions = {}): Removal | null {
  if (opts.language !== false) {
    const r = languageCheck(text, opts.language || {});
    if (r) return { filter: "language", reason: r.reason };
  }
  if (opts.gopher !== false) {
    const r = gopherCheck(text);
    if (r) return { filter: r.rule, reason: r.reason };
  }
  if (opts.blocklist !== false) {
    const r = blocklistCheck(text, opts.blocklist || {});
    if (r) return { filter: "blocklist", reason: r.reason };
  }
  return null;
}
