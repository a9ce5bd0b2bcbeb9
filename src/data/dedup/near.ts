// Near-duplicate dedup: MinHash signatures, LSH candidates, verify the candidate's
// estimated Jaccard against the threshold (LSH alone admits false positives), and keep one
// representative per cluster: the first document seen. Streaming: each document is
// decided as it arrives, so kept documents can be written out immediately.
import { estimateJaccard, MinHasher, shingleHashes } from "./minhash";
import { LshParams, MinHashLSH, optimalParam } from "./lsh";

export interface NearDupOptions {
  threshold?: number;
  numPerm?: number;
  shingle?: number;
  seed?: number;
}

export interface Cluster {
  representative: string;
  members: { id: string; jaccard: number }[];
}

export class NearDeduper {
  readonly params: LshParams & { threshold: number; numPerm: number; shingle: number };
  private readonly hasher: MinHasher;
  private readonly lsh: MinHashLSH<number>;
  private readonly sigs: Uint32Array[] = [];
  private readonly ids: string[] = [];
  readonly clusters = new Map<string, Cluster>();

  constructor(opts: NearDupOptions = {}) {
    const threshold = opts.threshold ?? 0.8,
      numPerm = opts.numPerm ?? 128,
      shingle = opts.shingle ?? 5;
    if (numPerm < 16 || numPerm > 1024) throw new Error(`NearDeduper: numPerm ${numPerm} outside 16..1024`);
    this.params = { ...optimalParam(threshold, numPerm), threshold, numPerm, shingle };
    this.hasher = new MinHasher(numPerm, opts.seed ?? 1);
    this.lsh = new MinHashLSH<number>(this.params.bands, this.params.rows);
  }

  /** Representative id and estimated Jaccard if `text` near-duplicates a kept document; else null (and keeps it). */
  check(id: string, text: string): { of: string; jaccard: number } | null {
    const sig = this.hasher.signature(shingleHashes(text, this.params.shingle));
    let best: { of: string; jaccard: number } | null = null;
    for (const c of this.lsh.query(sig)) {
      const j = estimateJaccard(sig, this.sigs[c]);
      if (j >= this.params.threshold && (!best || j > best.jaccard)) best = { of: this.ids[c], jaccard: j };
    }
    if (best) {
      const cl = this.clusters.get(best.of) ?? { representative: best.of, members: [] };
      cl.members.push({ id, jaccard: best.jaccard });
      this.clusters.set(best.of, cl);
      return best;
    }
    this.lsh.insert(this.sigs.length, sig);
    this.sigs.push(sig);
    this.ids.push(id);
    return null;
  }
}
