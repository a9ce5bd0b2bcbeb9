// Counterfactual data augmentation (Lu et al. 2018, "Gender Bias in Neural Natural Language
// Processing"; names: Maudslay et al. 2019, "It's All in the Name"): swap every gendered word
// and name for its counterpart, both ways, so the model sees each context with both genders.
// One left-to-right pass over the tokens maps each token once, so "he ... she" becomes
// "she ... he" and nothing is swapped back. Case is preserved ("He" -> "She", "HIS" -> "HER").
import { aleaRng } from "../../model/rng";

/** [male, female] word pairs. Lower case; plurals and compounds are listed explicitly. */
export const GENDER_WORD_PAIRS: readonly (readonly [string, string])[] = [
  ["he", "she"],
  ["him", "her"],
  ["his", "her"],
  ["his", "hers"],
  ["himself", "herself"],
  ["man", "woman"],
  ["men", "women"],
  ["boy", "girl"],
  ["boys", "girls"],
  ["father", "mother"],
  ["fathers", "mothers"],
  ["son", "daughter"],
  ["sons", "daughters"],
  ["brother", "sister"],
  ["brothers", "sisters"],
  ["husband", "wife"],
  ["husbands", "wives"],
  ["uncle", "aunt"],
  ["uncles", "aunts"],
  ["nephew", "niece"],
  ["nephews", "nieces"],
  ["grandfather", "grandmother"],
  ["grandson", "granddaughter"],
  ["king", "queen"],
  ["kings", "queens"],
  ["prince", "princess"],
  ["gentleman", "lady"],
  ["gentlemen", "ladies"],
  ["sir", "madam"],
  ["mr", "mrs"],
  ["male", "female"],
  ["males", "females"],
  ["masculine", "feminine"],
  ["boyhood", "girlhood"],
  ["manhood", "womanhood"],
  ["fatherhood", "motherhood"],
  ["chairman", "chairwoman"],
  ["congressman", "congresswoman"],
  ["congressmen", "congresswomen"],
  ["spokesman", "spokeswoman"],
  ["businessman", "businesswoman"],
  ["businessmen", "businesswomen"],
  ["statesman", "stateswoman"],
  ["statesmen", "stateswomen"],
  ["sportsman", "sportswoman"],
  ["policeman", "policewoman"],
  ["policemen", "policewomen"],
  ["fireman", "firewoman"],
  ["widower", "widow"],
  ["bachelor", "spinster"],
  ["groom", "bride"],
  ["actor", "actress"],
  ["waiter", "waitress"],
  ["heir", "heiress"],
  ["hero", "heroine"],
  ["heroes", "heroines"],
];

/**
 * [male, female] first-name pairs. Names that are also common English words (Will, Bill, Mark,
 * Rose, June, Grant, ...) are left out: swapping them would rewrite ordinary sentences.
 */
export const NAME_PAIRS: readonly (readonly [string, string])[] = [
  ["John", "Mary"],
  ["James", "Patricia"],
  ["Robert", "Jennifer"],
  ["Michael", "Linda"],
  ["William", "Elizabeth"],
  ["David", "Barbara"],
  ["Richard", "Susan"],
  ["Joseph", "Jessica"],
  ["Thomas", "Sarah"],
  ["Charles", "Karen"],
  ["Christopher", "Nancy"],
  ["Daniel", "Lisa"],
  ["Matthew", "Betty"],
  ["Anthony", "Margaret"],
  ["Donald", "Sandra"],
  ["Steven", "Ashley"],
  ["Paul", "Kimberly"],
  ["Andrew", "Emily"],
  ["Joshua", "Donna"],
  ["Kenneth", "Michelle"],
  ["Kevin", "Dorothy"],
  ["Brian", "Carol"],
  ["George", "Amanda"],
  ["Edward", "Melissa"],
  ["Ronald", "Deborah"],
  ["Timothy", "Stephanie"],
  ["Jason", "Rebecca"],
  ["Jeffrey", "Sharon"],
  ["Ryan", "Laura"],
  ["Jacob", "Cynthia"],
  ["Gary", "Kathleen"],
  ["Eric", "Amy"],
  ["Jonathan", "Shirley"],
  ["Stephen", "Angela"],
  ["Larry", "Helen"],
  ["Justin", "Anna"],
  ["Scott", "Brenda"],
  ["Benjamin", "Pamela"],
  ["Samuel", "Nicole"],
  ["Henry", "Emma"],
];

// After "her"/"his", these words mean the pronoun is an object (him) or stands alone (hers),
// not a possessive determiner (his/her + noun). A heuristic: it is right for the common cases
// and is tested on them; a tagger would do better.
const NOT_A_NOUN_PHRASE = new Set(
  (
    "and or but nor to in on at for with from by as of that than the a an is was were are be been will would could should shall " +
    "can may might must do does did has had have if when because so who whom which about into up out off over again too very " +
    "this these those it them him her me us you not no yesterday today tomorrow now then there here once twice before after " +
    "while until since during against without"
  ).split(" "),
);

export interface CdaOptions {
  words?: readonly (readonly [string, string])[];
  names?: readonly (readonly [string, string])[];
}

interface Swapper {
  words: Map<string, string>;
  names: Map<string, string>;
}

function buildSwapper(opts: CdaOptions): Swapper {
  const words = new Map<string, string>();
  const names = new Map<string, string>();
  // The first pair wins for a word with several counterparts; "her" and "his" are resolved by context.
  for (const [m, f] of opts.words ?? GENDER_WORD_PAIRS) {
    if (!words.has(m)) words.set(m, f);
    if (!words.has(f)) words.set(f, m);
  }
  for (const [m, f] of opts.names ?? NAME_PAIRS) {
    if (!names.has(m)) names.set(m, f);
    if (!names.has(f)) names.set(f, m);
  }
  return { words, names };
}

function matchCase(source: string, target: string): string {
  if (source.length > 1 && source === source.toUpperCase()) return target.toUpperCase();
  if (source[0] === source[0].toUpperCase()) return target[0].toUpperCase() + target.slice(1);
  return target;
}

const TOKEN = /([\p{L}]+)(['\u2019][sS])?/gu;

/** The counterfactual of one text: every gendered word and listed name swapped once. */
export function counterfactual(text: string, opts: CdaOptions = {}, swapper: Swapper = buildSwapper(opts)): string {
  const tokens = [...text.matchAll(TOKEN)];
  let out = "";
  let last = 0;
  tokens.forEach((m, k) => {
    const word = m[1];
    const start = m.index ?? 0;
    out += text.slice(last, start);
    last = start + m[0].length;
    const lower = word.toLowerCase();
    let swap: string | undefined;
    const next = tokens[k + 1];
    // Only the gap between this word and the next may be spaces for "her X" to be "her + noun".
    const followedByWord =
      next !== undefined &&
      m[2] === undefined &&
      /^\s+$/.test(text.slice(last, next.index)) &&
      !NOT_A_NOUN_PHRASE.has(next[1].toLowerCase());
    if (lower === "her") swap = followedByWord ? "his" : "him";
    else if (lower === "his") swap = followedByWord ? "her" : "hers";
    else if (swapper.names.has(word)) swap = swapper.names.get(word);
    else if (swapper.words.has(lower)) swap = swapper.words.get(lower);
    out += (swap ? matchCase(word, swap) : word) + (m[2] ?? "");
  });
  return out + text.slice(last);
}

/**
 * CDA over a corpus. "augment" (Lu et al.): the originals plus their counterfactuals (only for
 * documents that change). "substitute" (CDS, Maudslay et al.): each document is replaced by its
 * counterfactual with probability 1/2 (seeded), keeping the corpus size.
 */
export function cda(
  docs: readonly string[],
  opts: CdaOptions & { mode?: "augment" | "substitute"; seed?: number | string } = {},
): string[] {
  const swapper = buildSwapper(opts);
  const mode = opts.mode ?? "augment";
  if (mode === "augment") {
    const extra: string[] = [];
    for (const d of docs) {
      const c = counterfactual(d, opts, swapper);
      if (c !== d) extra.push(c);
    }
    return [...docs, ...extra];
  }
  const rng = aleaRng(opts.seed ?? 0);
  return docs.map((d) => (rng.uniform() < 0.5 ? counterfactual(d, opts, swapper) : d));
}
