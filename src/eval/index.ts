// Evaluation (course step 09/10): perplexity and bits per byte, contamination, memorisation,
// human evaluation statistics and bias probes. Model-agnostic: whatever needs a model takes a
// scorer, `{logProb(text)}` (natural log of P(text)) or `{tokenLogProbs(text)}`.
// Exported from src/index.ts as `evaluation`, not `eval`: under native ES modules (strict code)
// `import { eval } from "llmlab"` is a SyntaxError, since `eval` cannot be bound as a name.
export { bootstrapCI, quantileSorted, mean, type BootstrapOptions, type Interval } from "./bootstrap";
export {
  scoreFromLogProbs,
  scoreDocuments,
  perplexityOf,
  bitsPerByteOf,
  perplexityReport,
  type TokenScorer,
  type ScoredDoc,
  type PerplexityResult,
} from "./perplexity";

// Contamination
export { normalizeWords, ngramKeys } from "./ngram";
export {
  ngramContamination,
  NgramOverlapIndex,
  gpt3NgramSize,
  type ContaminationReport,
  type ExampleFlag,
  type OverlapMatch,
  type ScanOptions,
} from "./ngramOverlap";
export {
  substringContamination,
  SubstringOverlapIndex,
  normalizeChars,
  type SubstringOptions,
} from "./substringOverlap";
export { plantLeaks, cleanVsDirty, type PlantedLeaks, type CleanVsDirty } from "./leaks";

// Memorisation
export { CanaryFormat, insertCanary, type InsertedCanary } from "./canary";
export {
  exposureFromRank,
  rankOf,
  exposureByEnumeration,
  exposureByExtrapolation,
  textScorerFrom,
  type TextScorer,
  type ExposureResult,
} from "./exposure";
export { normalCdf, fitSkewNormal, skewNormalCdf, type SkewNormal } from "./normal";

// Human evaluation
export { cohenKappa, fleissKappa, countsBySubject } from "./agreement";
export { krippendorffAlpha, type AlphaMetric } from "./krippendorff";
export { winRate, bradleyTerry, type Comparison, type BradleyTerryResult } from "./preference";
export { likertSummary, type LikertRow, type LikertSummary } from "./likert";
export {
  loadRatings,
  parseRatingsJson,
  parseRatingsCsv,
  parseRatingsJsonl,
  ratingsToJsonl,
  validateRatings,
  writeRatings,
  RatingsFormatError,
  RATINGS_FORMAT,
  CRITERIA,
  type RatingsFile,
  type Provenance,
  type PreferenceRow,
} from "./ratings";
export { simulateRatings, DEFAULT_SIMULATION, SIMULATION_MODEL, type SimulationParams } from "./simulate";
export { agreementByCriterion, humanEvalReport, type CriterionAgreement, type HumanEvalReport } from "./humanEval";
export { datasetPath } from "./paths";
export {
  collectRatings,
  ratingQuestions,
  type RatingItem,
  type Ask,
  type CollectOptions,
  type RatingQuestion,
} from "./collect";
export { RATINGS_MIME, ratingsOutput, mergeRatings } from "./ratingsClass";
export { ratingForm, type RatingForm, type RatingFormOptions, type FormWidgets } from "./ratingForm";

// Bias
export { crowsPairsScore, loadBiasPairs, type BiasPair, type CrowsPairsResult } from "./bias/crowsPairs";
export {
  namesOccupationsProbe,
  genderedNames,
  OCCUPATIONS,
  type NamesOccupationsResult,
} from "./bias/namesOccupations";
export { weat, weatWords, cosine, association, WEAT_CAREER_FAMILY, type WeatResult, type Vector } from "./bias/weat";
export { counterfactual, cda, GENDER_WORD_PAIRS, NAME_PAIRS, type CdaOptions } from "./bias/cda";

// A trained GPT as a scorer / sampler, and the experiments of notebooks 08-10 (tiny char models)
export {
  gptScorer,
  gptSampler,
  meanLoss,
  slidingWindows,
  type Codec,
  type ScorerOptions,
  type GPTScorer,
  type GPTSamplerOptions,
} from "./gpt";
export {
  trainOnDocs,
  charCodecFor,
  TINY_MODEL,
  SHORT_RUN,
  SHORT_RUN_STEPS,
  experimentTrainConfig,
  DOC_PREFIX,
  DOC_SEPARATOR,
  type TrainRunOptions,
  type TrainRun,
} from "./experiments/train";
export { leakInflation, type LeakInflationOptions, type LeakInflationResult } from "./experiments/leakInflation";
export { canaryDedup, type CanaryDedupOptions, type CanaryDedupResult } from "./experiments/canaryDedup";
export {
  biasProbes,
  cdaExperiment,
  type BiasProbes,
  type CdaExperimentOptions,
  type CdaExperimentResult,
} from "./experiments/debias";
export {
  diversityExperiment,
  interleave,
  type SourceSplit,
  type DiversityOptions,
  type DiversityResult,
} from "./experiments/diversity";
export {
  throughputByBatchSize,
  profileStep,
  opGroup,
  backendComparison,
  type StepTiming,
  type StepProfile,
  type ComputeOptions,
  type BackendTiming,
} from "./experiments/compute";
export { sourcePassages, paragraphs, isPrintableAscii, type PassageOptions } from "./experiments/passages";
