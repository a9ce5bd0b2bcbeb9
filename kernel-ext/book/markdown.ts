// Markdown cells and text/markdown outputs: markdown-it (CommonMark) with KaTeX math rendered
// at build time (no script, no network in the browser) and highlight.js for fenced code.
import MarkdownIt from "markdown-it";
import katexPlugin from "@vscode/markdown-it-katex";
import hljs from "highlight.js/lib/common";

export type Markdown = InstanceType<typeof MarkdownIt>;

/** Code in a notebook whose language is TypeScript unless a fence says otherwise. */
export function highlight(code: string, language = "typescript"): string {
  const lang = hljs.getLanguage(language) ? language : undefined;
  if (!lang) return new MarkdownIt().utils.escapeHtml(code);
  return hljs.highlight(code, { language: lang, ignoreIllegals: true }).value;
}

export function createMarkdown(): Markdown {
  const md: Markdown = new MarkdownIt({
    html: true, // notebooks are the author's own trusted content, as in Jupyter
    linkify: false,
    highlight: (code, lang) => `<pre class="hljs"><code>${highlight(code, lang || "plaintext")}</code></pre>`,
  });
  md.use(katexPlugin, { throwOnError: false, enableBareBlocks: false });
  // Links between notebooks point at their chapters: 03-tokenisation.ipynb -> 03-tokenisation.html.
  const defaultLinkOpen =
    md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const raw = tokens[idx].attrGet("href");
    const href = raw === null ? null : String(raw);
    if (href && !/^[a-z]+:/i.test(href)) tokens[idx].attrSet("href", href.replace(/\.ipynb(?=$|#)/, ".html"));
    return defaultLinkOpen(tokens, idx, options, env, self);
  };
  return md;
}
