// Synthetic data (course step 08): template generation over structured facts, generation by
// sampling a model (through the Sampler interface), provenance tags, and filtering/dedup
// against real data.
export { sotuFacts, type SotuFact } from "./facts";
export { templateQA, SOTU_TEMPLATES, type FactTemplate, type QaPair, type TemplateOptions } from "./templates";
export { generateFromModel, type Sampler, type ModelGenerationOptions } from "./sampler";
export {
  filterSynthetic,
  textKey,
  dedupExact,
  type FilterOptions,
  type FilterResult,
  type RemovalReason,
} from "./filter";
export type { SyntheticExample, SyntheticProvenance, SamplingSettings } from "./provenance";
