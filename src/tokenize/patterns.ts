// Pre-tokenisation ("split") patterns: text is cut into chunks by a regex first and BPE
// merges never cross a chunk boundary, so " dog", " dog." and " dog!" share " dog".

/**
 * GPT-2 (openai/gpt-2 encoder.py). Uses nothing JavaScript lacks, so it is used verbatim
 * (with the `u` flag for \p{..}).
 */
export const GPT2_SPLIT_PATTERN = String.raw`'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`;

/**
 * GPT-4 / cl100k_base, rewritten for JavaScript. tiktoken's original is
 *   '(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s
 * JavaScript (Node 20) has neither possessive quantifiers (?+ ++ *+) nor inline flags (?i:).
 * - (?i:...) becomes explicit case classes: '[sS], '[lL][lL], ...
 * - A possessive quantifier only differs from the greedy one when the engine would backtrack
 *   into it; here it never would:
 *   [^\r\n\p{L}\p{N}]?+\p{L}++ : the optional char is not a letter, so giving it back cannot
 *     help \p{L}+ match; giving back letters from \p{L}+ cannot help either (nothing follows).
 *   \p{N}{1,3}+, [\r\n]*+ : nothing follows them inside the alternative, so no backtracking.
 *   ' ?[^\s\p{L}\p{N}]++[\r\n]*' : [\r\n]* always matches (possibly empty), so the run before
 *     it is never given back.
 *   \s++$ : giving back whitespace cannot make $ match earlier, so greedy \s+$ is the same.
 * Hence the greedy forms below split identically; patterns.test.ts checks this against the
 * splits of gpt-tokenizer's and js-tiktoken's cl100k regexes and against cl100k encodings.
 */
export const GPT4_SPLIT_PATTERN = String.raw`'(?:[sS]|[dD]|[mM]|[tT]|[lL][lL]|[vV][eE]|[rR][eE])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s+$|\s*[\r\n]|\s+(?!\S)|\s`;

export const SPLIT_PATTERNS: Record<string, string> = { gpt2: GPT2_SPLIT_PATTERN, gpt4: GPT4_SPLIT_PATTERN };

/** Compile a split pattern (Unicode mode, global); a clear error names a bad pattern. */
export function compileSplit(pattern: string): RegExp {
  try {
    return new RegExp(pattern, "gu");
  } catch (err) {
    throw new Error(
      `split pattern ${JSON.stringify(pattern)} is not a valid JavaScript regex: ${(err as Error).message}`,
    );
  }
}

/** The chunks of text under a split pattern, in order (concatenating them gives text back). */
export function splitText(text: string, pattern: string = GPT2_SPLIT_PATTERN): string[] {
  return text.match(compileSplit(pattern)) ?? [];
}
