// PII scrubbing: replace personal identifiers with typed placeholders ("[EMAIL]") so the
// model learns that an address goes here without memorising whose. Regexes plus a
// validator per type (Luhn for cards, node:net for IPv6, shape rules for phones), because
// a pattern alone either misses international forms or eats dates and version numbers.
import { isIPv6 } from "node:net";

export type PiiType = "url_credentials" | "email" | "credit_card" | "ipv6" | "ipv4" | "phone";
export const PII_TYPES: PiiType[] = ["url_credentials", "email", "credit_card", "ipv6", "ipv4", "phone"];
export const PLACEHOLDER: Record<PiiType, string> = {
  url_credentials: "[URL_WITH_CREDENTIALS]",
  email: "[EMAIL]",
  credit_card: "[CREDIT_CARD]",
  ipv6: "[IPV6]",
  ipv4: "[IPV4]",
  phone: "[PHONE]",
};

export type PiiCounts = Record<PiiType, number>;
export const emptyPiiCounts = (): PiiCounts => ({
  url_credentials: 0,
  email: 0,
  credit_card: 0,
  ipv6: 0,
  ipv4: 0,
  phone: 0,
});

/** Luhn checksum (ISO/IEC 7812-1): doubles every second digit from the right. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** Card numbers: an issuer prefix (Visa 4, Mastercard 51-55/22-27, Amex 34/37, Diners 30/36/38, Discover 6011/65), then Luhn. */
export function isCardNumber(m: string): boolean {
  const d = m.replace(/\D/g, "");
  return /^(4|5[1-5]|2[2-7]|3[47]|3[068]|6011|65)/.test(d) && luhnValid(d);
}

/**
 * IPv6 by node:net, plus a plausibility rule: "1::" is a valid address but in prose it is
 * a chapter-and-verse or a typo, so ask for three groups, or two with one of 3+ hex digits.
 */
export function isIPv6Address(m: string): boolean {
  if (!isIPv6(m)) return false;
  const groups = m.split(":").filter(Boolean);
  return m === "::1" || groups.length >= 3 || (groups.length === 2 && groups.some((g) => g.length >= 3));
}

const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";

// Each rule: candidate regex (global) + optional validator. Order matters: credentials
// URLs contain an "@", cards look like long phone numbers, IPv4 looks like a dotted phone.
const RULES: { type: PiiType; re: RegExp; valid?: (m: string) => boolean }[] = [
  { type: "url_credentials", re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]*@[^\s/?#]+/gi },
  // Local part "a.b+tag", host with or without a TLD (the corpus has "user@localhost").
  {
    type: "email",
    re: /[\p{L}\p{N}_.%+-]+@[\p{L}\p{N}_-]+(?:\.[\p{L}\p{N}_-]+)*/gu,
    valid: (m) => !/^[.@]|\.$/.test(m),
  },
  { type: "credit_card", re: /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g, valid: isCardNumber },
  {
    type: "ipv6",
    re: /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|\d+(?:\.\d+){3})?(?![\w:])/g,
    valid: isIPv6Address,
  },
  { type: "ipv4", re: new RegExp(`(?<![\\d.])${OCTET}(?:\\.${OCTET}){3}(?![\\d]|\\.\\d)`, "g") },
  // Digit groups joined by one separator, an optional "(area)" and "+cc"/"(+cc)"/"00cc" prefix.
  {
    type: "phone",
    re: /(?<![\w+.,$])(?:\+\d{7,15}|(?:(?:\+|\b00)\d{1,3}[ .-]?|\(\+\d{1,3}\) ?)?(?:\(\d{1,4}\)[ .-]?)?\d{1,10}(?:[ .-]\(?\d{1,10}\)?){0,5})(?!\w|[.,-]\d)/g,
  },
];

/**
 * Phone shapes, checked on the whole candidate: the ways people write phone numbers, not
 * "any 7-15 digits" (that eats populations, budgets and ISSNs in the SOTU tables).
 *  - international: "+" or "00", country code, 8-15 digits in total (E.164's maximum);
 *  - North American: (555) 123-4567, 555-123-4567, 555.123.4567, 1-800-555-0199, 555-1234;
 *  - national with trunk prefix 0 (UK, FR, DE, ...): 020 7946 0958, (01632) 960 123.
 * Dates (01-02-2003) fall out on digit counts; bare runs of digits are never phones.
 */
const PHONE_SHAPES: RegExp[] = [
  /^(?:1[ .-]?)?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}$/,
  /^\d{3}-\d{4}$/,
  /^0\d{1,4}(?:[ .-]\d{2,5}){1,4}$/,
  /^\(0\d{1,4}\) ?\d{2,5}(?:[ .-]\d{2,5}){0,3}$/,
];

export function isPhone(m: string): boolean {
  const digits = m.replace(/\D/g, "").length;
  if (/^(\(?\+|00)/.test(m))
    return (
      /^(?:\(\+\d{1,3}\) ?|(?:\+|00)\d{1,3})(?:[ .-]?\(?\d{1,10}\)?)+$/.test(m) &&
      digits >= (m[0] === "0" ? 10 : 8) &&
      digits <= 15
    );
  if (digits < 7 || digits > 15) return false;
  if (/^0/.test(m) && digits < 9) return false; // 01-02-2003 is a date
  if (/^\d{5}-\d{4}$/.test(m)) return false; // US ZIP+4
  return PHONE_SHAPES.some((re) => re.test(m));
}

/**
 * The candidate regex is greedy ("555-123-4567 8 times" yields "555-123-4567 8"), so
 * look for the longest run of whole digit groups that has a phone shape, replace it, and
 * search what is left on either side (two numbers in a row are one candidate).
 */
function replacePhones(m: string, count: () => void): string {
  const groups = [...m.matchAll(/[+(]*\d+\)?/g)].map((g) => ({
    start: g.index ?? 0,
    end: (g.index ?? 0) + g[0].length,
  }));
  for (let len = groups.length; len >= 1; len--) {
    for (let i = 0; i + len <= groups.length; i++) {
      let start = groups[i].start,
        end = groups[i + len - 1].end;
      // An unbalanced parenthesis belongs to the prose: "(cell 832-723-6363)".
      if (m[end - 1] === ")" && !m.slice(start, end).includes("(")) end--;
      if (m[start] === "(" && !m.slice(start, end).includes(")")) start++;
      if (isPhone(m.slice(start, end))) {
        count();
        return replacePhones(m.slice(0, start), count) + PLACEHOLDER.phone + replacePhones(m.slice(end), count);
      }
    }
  }
  return m;
}

export interface ScrubResult {
  text: string;
  counts: PiiCounts;
}

export function scrubPii(text: string, types: PiiType[] = PII_TYPES): ScrubResult {
  const counts = emptyPiiCounts();
  let out = text;
  for (const rule of RULES) {
    if (!types.includes(rule.type)) continue;
    out = out.replace(rule.re, (m: string) => {
      if (rule.type === "phone") return replacePhones(m, () => counts.phone++);
      if (rule.valid && !rule.valid(m)) return m;
      counts[rule.type]++;
      return PLACEHOLDER[rule.type];
    });
  }
  return { text: out, counts };
}
