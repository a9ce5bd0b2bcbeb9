// Evaluation (course step 09/10): perplexity and bits per byte, contamination, memorisation,
// human evaluation statistics and bias probes. Model-agnostic: whatever needs a model takes a
// scorer, `{logProb(text)}` (natural log of P(text)) or `{tokenLogProbs(text)}`.
// Exported from src/index.ts as `evaluation`, not `eval`: under native ES modules (strict code)
// `import { eval } from "llmlab"` is a SyntaxError, since `eval` cannot be bound as a name.
export { bootstrapCI, quantileSorted, mean } from "./bootstrap";
export type { BootstrapOptions, Interval } from "./bootstrap";
export { scoreFromLogProbs, scoreDocuments, perplexityOf, bitsPerByteOf, perplexityReport } from "./perplexity";
export type { TokenScorer, ScoredDoc, PerplexityResult } from "./perplexity";

// Contamination
export { normalizeWords, ngramKeys } from "./ngram";
export { ngramContamination, NgramOverlapIndex, gpt3NgramSize } from "./ngramOverlap";
export type { ContaminationReport, ExampleFlag, OverlapMatch, ScanOptions } from "./ngramOverlap";
export { substringContamination, SubstringOverlapIndex, normalizeChars } from "./substringOverlap";
export type { SubstringOptions } from "./substringOverlap";
export { plantLeaks, cleanVsDirty } from "./leaks";
export type { PlantedLeaks, CleanVsDirty } from "./leaks";

// Memorisation
export { CanaryFormat, insertCanary } from "./canary";
export type { InsertedCanary } from "./canary";
export { exposureFromRank, rankOf, exposureByEnumeration, exposureByExtrapolation, textScorerFrom } from "./exposure";
export type { TextScorer, ExposureResult } from "./exposure";
export { normalCdf, fitSkewNormal, skewNormalCdf } from "./normal";
export type { SkewNormal } from "./normal";

// Human evaluation
export { cohenKappa, fleissKappa, countsBySubject } from "./agreement";
export { krippendorffAlpha } from "./krippendorff";
export type { AlphaMetric } from "./krippendorff";
export { winRate, bradleyTerry } from "./preference";
export type { Comparison, BradleyTerryResult } from "./preference";
export { likertSummary } from "./likert";
export type { LikertRow, LikertSummary } from "./likert";
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
} from "./ratings";
export type { RatingsFile, Provenance, PreferenceRow } from "./ratings";
export { simulateRatings, DEFAULT_SIMULATION, SIMULATION_MODEL } from "./simulate";
export type { SimulationParams } from "./simulate";
export { agreementByCriterion, humanEvalReport } from "./humanEval";
export type { CriterionAgreement, HumanEvalReport } from "./humanEval";
export { datasetPath } from "./paths";
export { collectRatings, ratingQuestions } from "./collect";
export { RATINGS_MIME, ratingsOutput, mergeRatings } from "./ratingsClass";
export type { RatingItem, Ask, CollectOptions, RatingQuestion } from "./collect";
export { ratingForm } from "./ratingForm";
export type { RatingForm, RatingFormOptions, FormWidgets } from "./ratingForm";

// Bias
export { crowsPairsScore, loadBiasPairs } from "./bias/crowsPairs";
export type { BiasPair, CrowsPairsResult } from "./bias/crowsPairs";
export { namesOccupationsProbe, genderedNames, OCCUPATIONS } from "./bias/namesOccupations";
export type { NamesOccupationsResult } from "./bias/namesOccupations";
export { weat, weatWords, cosine, association, WEAT_CAREER_FAMILY } from "./bias/weat";
export type { WeatResult, Vector } from "./bias/weat";
export { counterfactual, cda, GENDER_WORD_PAIRS, NAME_PAIRS } from "./bias/cda";
export type { CdaOptions } from "./bias/cda";

// A trained GPT as a scorer / sampler, and the experiments of notebooks 08-10 (tiny char models)
export { gptScorer, gptSampler, meanLoss, slidingWindows } from "./gpt";
export type { Codec, ScorerOptions, GPTScorer, GPTSamplerOptions } from "./gpt";
export {
  trainOnDocs,
  charCodecFor,
  TINY_MODEL,
  SHORT_RUN,
  SHORT_RUN_STEPS,
  experimentTrainConfig,
  DOC_PREFIX,
  DOC_SEPARATOR,
} from "./experiments/train";
export type { TrainRunOptions, TrainRun } from "./experiments/train";
export { leakInflation } from "./experiments/leakInflation";
export type { LeakInflationOptions, LeakInflationResult } from "./experiments/leakInflation";
export { canaryDedup } from "./experiments/canaryDedup";
export type { CanaryDedupOptions, CanaryDedupResult } from "./experiments/canaryDedup";
export { biasProbes, cdaExperiment } from "./experiments/debias";
export type { BiasProbes, CdaExperimentOptions, CdaExperimentResult } from "./experiments/debias";
export { diversityExperiment, interleave } from "./experiments/diversity";
export type { SourceSplit, DiversityOptions, DiversityResult } from "./experiments/diversity";
export { throughputByBatchSize, profileStep, opGroup, backendComparison } from "./experiments/compute";
export type { StepTiming, StepProfile, ComputeOptions, BackendTiming } from "./experiments/compute";
export { sourcePassages, paragraphs, isPrintableAscii } from "./experiments/passages";
export type { PassageOptions } from "./experiments/passages";
