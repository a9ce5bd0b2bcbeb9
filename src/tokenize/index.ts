// Tokenisation (course step 3): characters, words and byte-level BPE behind one interface;
// a minbpe-style trainer; GPT-2's tokenizer id for id; Hugging Face tokenizer.json.
export type { EncodeOptions, Tokenizer } from "./types";
export { CharTokenizer } from "./char";
export { CharVocab } from "./charVocab";
export { WordTokenizer } from "./word";
export { BPETokenizer } from "./bpe";
export { gpt2Tokenizer, cl100kTokenizer } from "./gpt2";
export { trainBPE, learnMerges, chunkCounts, type TrainOptions, type Merges } from "./train";
export { trainNaive, learnMergesNaive } from "./naive";
export { GPT2_SPLIT_PATTERN, GPT4_SPLIT_PATTERN, splitText } from "./patterns";
export { gpt2Chunks, gpt4Chunks } from "./pretokenize";
export { bytesToUnicode, bytesToByteLevel, byteLevelToBytes } from "./bytes";
export { toHFTokenizerJSON, fromHFTokenizerJSON, type HFTokenizerJSON } from "./hf";
export { saveTokenizer, loadTokenizer, tokenizerFromJSON, getTokenizer } from "./io";
export { bigramBitsPerByte, tokenizerBitsPerByte, type BigramScore } from "./ngram";
export { vocabSweep, type SweepRow } from "./sweep";
export { sotuText, brownText, nlpCorpusText, spamAssassinText, courseCorpusSample, courseCorpusSplit } from "./corpus";
export { checkGpt2AgainstReferences, type ReferenceCheck } from "./reference";
export { showTokens, tokenizationTable } from "./inspect";
// The notebook's vocabulary-size chart (the helper lives in src/viz with the other plots).
export { vocabSizeFigure } from "../viz/vocabSize";
