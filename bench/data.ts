// bench:data — throughput of the data pipeline and of MinHash, each against a naive
// baseline measured in the same run on the same documents.
//   pipeline: full pipeline with MinHash+LSH near-dup  vs  same pipeline with all-pairs exact Jaccard
//   minhash:  one-pass signatures (fmix32 permutations) vs  textbook k hash functions over each shingle string
// Usage: npm run bench:data [-- --json] [-- --scale 2]
import * as data from "../src/data";
import { hashString, shingleWords } from "../src/data/dedup/minhash";

const args = process.argv.slice(2);
const json = args.includes("--json");
const scale = Number(args[args.indexOf("--scale") + 1]) || 1;
const LIMITS: Record<data.SourceName, number> = { sotu: 30, brown: 100, "nlp-corpus": 800, "spam-assassin": 500 };
const NUM_PERM = 128,
  THRESHOLD = 0.8;

function seconds<T>(f: () => T): [T, number] {
  const t = process.hrtime.bigint();
  const r = f();
  return [r, Number(process.hrtime.bigint() - t) / 1e9];
}

/** Textbook MinHash: k independent hash functions, each hashing every shingle string. */
function naiveSignature(text: string, k: number): Uint32Array {
  const w = shingleWords(text);
  const shingles = new Set<string>();
  for (let i = 0; i + 5 <= Math.max(w.length, 5); i++) shingles.add(w.slice(i, i + 5).join(" "));
  const sig = new Uint32Array(k).fill(0xffffffff);
  for (const s of shingles)
    for (let i = 0; i < k; i++) {
      const h = hashString(i + "\u0001" + s);
      if (h < sig[i]) sig[i] = h;
    }
  return sig;
}

/** Naive near-dup: every new document against every kept one, exact Jaccard of shingle sets. */
function allPairsDedup(texts: string[]): { kept: number; dupes: Set<number> } {
  const sets: Uint32Array[] = [],
    dupes = new Set<number>();
  texts.forEach((t, i) => {
    const s = Uint32Array.from(new Set(data.shingleHashes(t))).sort();
    for (const prev of sets)
      if (sortedJaccard(s, prev) >= THRESHOLD) {
        dupes.add(i);
        return;
      }
    sets.push(s);
  });
  return { kept: sets.length, dupes };
}

function sortedJaccard(a: Uint32Array, b: Uint32Array): number {
  let i = 0,
    j = 0,
    inter = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      inter++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return inter / (a.length + b.length - inter || 1);
}

async function main(): Promise<void> {
  const docs: data.Doc[] = [];
  for (const s of data.SOURCES)
    for await (const d of data.loadSource(s, { limit: Math.round(LIMITS[s] * scale) })) docs.push(d);
  const mb = docs.reduce((a, d) => a + Buffer.byteLength(d.text), 0) / 1e6;
  const opts = { nearDup: { threshold: THRESHOLD, numPerm: NUM_PERM } };

  // Full pipeline, LSH near-dup.
  const t0 = process.hrtime.bigint();
  const lshRun = await data.cleanDocs(docs, opts);
  const pipeS = Number(process.hrtime.bigint() - t0) / 1e9;
  // Naive: same pipeline without near-dup, then all-pairs exact Jaccard over what it keeps.
  const t1 = process.hrtime.bigint();
  const noNear = await data.cleanDocs(docs, { nearDup: false });
  const naive = allPairsDedup(noNear.kept.map((d) => d.text));
  const naiveS = Number(process.hrtime.bigint() - t1) / 1e9;
  // Recall of LSH against the exact answer, on the same survivors.
  const lshIds = new Set(lshRun.kept.map((d) => d.id));
  const naiveDupIds = new Set([...naive.dupes].map((i) => noNear.kept[i].id));
  const found = [...naiveDupIds].filter((id) => !lshIds.has(id)).length;

  // MinHash alone on the cleaned texts.
  const texts = noNear.kept.map((d) => d.text);
  const cleanMB = texts.reduce((a, t) => a + Buffer.byteLength(t), 0) / 1e6;
  const mh = new data.MinHasher(NUM_PERM, 1);
  const [, fastS] = seconds(() => texts.map((t) => mh.signatureOf(t)));
  const [, slowS] = seconds(() => texts.map((t) => naiveSignature(t, NUM_PERM)));

  const r = {
    documents: docs.length,
    mb: +mb.toFixed(2),
    cleaned_mb: +cleanMB.toFixed(2),
    num_perm: NUM_PERM,
    threshold: THRESHOLD,
    lsh: { bands: lshRun.report.lsh?.bands, rows: lshRun.report.lsh?.rows },
    pipeline_mb_s: +(mb / pipeS).toFixed(3),
    pipeline_naive_mb_s: +(mb / naiveS).toFixed(3),
    pipeline_speedup: +(naiveS / pipeS).toFixed(2),
    near_duplicates_lsh: lshRun.report.nearDuplicates,
    near_duplicates_exact: naive.dupes.size,
    lsh_recall: naive.dupes.size ? +(found / naive.dupes.size).toFixed(3) : 1,
    minhash_mb_s: +(cleanMB / fastS).toFixed(3),
    minhash_naive_mb_s: +(cleanMB / slowS).toFixed(3),
    minhash_speedup: +(slowS / fastS).toFixed(2),
  };
  if (json) {
    console.log(JSON.stringify(r));
    return;
  }
  console.log(
    `data bench: ${r.documents} documents, ${r.mb} MB raw (${r.cleaned_mb} MB after cleaning), k=${NUM_PERM}, t=${THRESHOLD}, b=${r.lsh.bands} r=${r.lsh.rows}`,
  );
  console.log(`  pipeline (MinHash+LSH)       ${r.pipeline_mb_s} MB/s`);
  console.log(`  pipeline (all-pairs Jaccard) ${r.pipeline_naive_mb_s} MB/s   -> LSH ${r.pipeline_speedup}x faster`);
  console.log(
    `  near-dups found: LSH ${r.near_duplicates_lsh}, exact all-pairs ${r.near_duplicates_exact} (LSH recall ${r.lsh_recall})`,
  );
  console.log(`  MinHash signatures           ${r.minhash_mb_s} MB/s`);
  console.log(`  naive k-hash MinHash         ${r.minhash_naive_mb_s} MB/s   -> ${r.minhash_speedup}x faster`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
