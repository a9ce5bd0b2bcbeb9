// Public API of the data step (notebooks see it as llm.data).
export * from "./types";
export { normalizeText, dedupKey, words } from "./normalize";
export { htmlToText, decodeEntities } from "./html";
export { parseMail, stripBoilerplate, cleanMail, decodeHeader } from "./mail";
export { scrubPii, luhnValid, isPhone, PII_TYPES, PLACEHOLDER, emptyPiiCounts } from "./pii";
export type { PiiType, PiiCounts, ScrubResult } from "./pii";
export { gopherStats, gopherCheck, GOPHER_RULES, GOPHER_STOP_WORDS } from "./gopher";
export type { GopherStats, GopherRule } from "./gopher";
export { blocklistCheck, DEFAULT_BLOCKLIST } from "./blocklist";
export { languageCheck, scriptShares } from "./language";
export { applyFilters, FILTER_NAMES } from "./filters";
export type { FilterOptions, Removal } from "./filters";
export {
  MinHasher,
  shingleHashes,
  shingleWords,
  estimateJaccard,
  exactJaccard,
  hashString,
  fmix32,
} from "./dedup/minhash";
export { optimalParam, falsePositiveProbability, falseNegativeProbability, integrate, MinHashLSH } from "./dedup/lsh";
export type { LshParams } from "./dedup/lsh";
export { ExactDeduper, exactHash } from "./dedup/exact";
export { NearDeduper } from "./dedup/near";
export type { Cluster, NearDupOptions } from "./dedup/near";
export { suffixArray, lcpArray, exactSubstringDedup } from "./dedup/suffixArray";
export { diversityReport, DiversityAccumulator, entropyBits } from "./diversity";
export type { DiversityReport, GroupStats } from "./diversity";
export { assignSplit, findLeakage } from "./split";
export type { Split, Leak } from "./split";
export {
  verifyManifest,
  buildManifest,
  writeManifest,
  manifestPath,
  packageDir,
  repoRoot,
  sha256File,
} from "./manifest";
export type { Manifest } from "./manifest";
export { SOURCES, loadSource, loadSources, sourceManifest, checkSourceName } from "./sources";
export type { SourceName, LoadOptions } from "./sources";
export { brownFileToText, detokenize } from "./sources/brown";
export { loadUserFiles } from "./sources/userFiles";
export { runPipeline, cleanDocs, cleanDoc } from "./pipeline";
export type { PipelineOptions, PipelineReport, KeptDoc } from "./pipeline";
export { buildCorpus, cleanUserData, writeCorpus } from "./build";
export type { BuildResult, BuildOptions } from "./build";
export {
  collect,
  summarize,
  firstOfEach,
  compositionFigures,
  brownExample,
  mailExample,
  filterExamples,
  lshCurveFigure,
  pipelineFigures,
  clusterRows,
} from "./explore";
export type { CollectionSummary } from "./explore";
