// Public API of the data step (notebooks see it as llm.data).
export * from "./types";
export { normalizeText, dedupKey, words } from "./normalize";
export { htmlToText, decodeEntities } from "./html";
export { parseMail, stripBoilerplate, cleanMail, decodeHeader } from "./mail";
export {
  scrubPii,
  luhnValid,
  isPhone,
  PII_TYPES,
  PLACEHOLDER,
  emptyPiiCounts,
  type PiiType,
  type PiiCounts,
  type ScrubResult,
} from "./pii";
export { gopherStats, gopherCheck, GOPHER_RULES, GOPHER_STOP_WORDS, type GopherStats, type GopherRule } from "./gopher";
export { blocklistCheck, DEFAULT_BLOCKLIST } from "./blocklist";
export { languageCheck, scriptShares } from "./language";
export { applyFilters, FILTER_NAMES, type FilterOptions, type Removal } from "./filters";
export {
  MinHasher,
  shingleHashes,
  shingleWords,
  estimateJaccard,
  exactJaccard,
  hashString,
  fmix32,
} from "./dedup/minhash";
export {
  optimalParam,
  falsePositiveProbability,
  falseNegativeProbability,
  integrate,
  MinHashLSH,
  type LshParams,
} from "./dedup/lsh";
export { ExactDeduper, exactHash } from "./dedup/exact";
export { NearDeduper, type Cluster, type NearDupOptions } from "./dedup/near";
export { suffixArray, lcpArray, exactSubstringDedup } from "./dedup/suffixArray";
export { diversityReport, DiversityAccumulator, entropyBits, type DiversityReport, type GroupStats } from "./diversity";
export { assignSplit, findLeakage, type Split, type Leak } from "./split";
export {
  verifyManifest,
  buildManifest,
  writeManifest,
  manifestPath,
  packageDir,
  repoRoot,
  sha256File,
  type Manifest,
} from "./manifest";
export {
  SOURCES,
  loadSource,
  loadSources,
  sourceManifest,
  checkSourceName,
  type SourceName,
  type LoadOptions,
} from "./sources";
export { brownFileToText, detokenize } from "./sources/brown";
export { loadUserFiles } from "./sources/userFiles";
export { runPipeline, cleanDocs, cleanDoc, type PipelineOptions, type PipelineReport, type KeptDoc } from "./pipeline";
export { buildCorpus, cleanUserData, writeCorpus, type BuildResult, type BuildOptions } from "./build";
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
  type CollectionSummary,
} from "./explore";
