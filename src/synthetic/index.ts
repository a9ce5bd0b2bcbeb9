// Synthetic data (course step 08): template generation over structured facts, generation by
// sampling a model (through the Sampler interface), provenance tags, and filtering/dedup
// against real data.
export { sotuFacts } from "./facts";
export type { SotuFact } from "./facts";
export { templateQA, SOTU_TEMPLATES } from "./templates";
export type { FactTemplate, QaPair, TemplateOptions } from "./templates";
export { generateFromModel } from "./sampler";
export type { Sampler, ModelGenerationOptions } from "./sampler";
export { filterSynthetic, textKey, dedupExact } from "./filter";
export type { FilterOptions, FilterResult, RemovalReason } from "./filter";
export type { SyntheticExample, SyntheticProvenance, SamplingSettings } from "./provenance";
