// The linter's one configuration: typescript-eslint's recommended rules over every TypeScript
// source (no type-aware rules, so a lint takes seconds). Formatting is prettier's job
// (.prettierrc.json), not eslint's.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "build/", "node_modules/", "out/", "runs/", "native/simd/", "**/*.js", "**/*.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // A CommonJS project: require() loads optional and heavy modules (tfjs backends, corpora,
      // reference tokenizers) lazily, where an import would load them with the module.
      "@typescript-eslint/no-require-imports": "off",
      // Our rethrows put what matters (the input, what was expected) in the message; adopting
      // { cause } everywhere is a change of its own, not a lint fix.
      "preserve-caught-error": "off",
      // `_name` marks a parameter or binding kept on purpose (a callback's signature, a rest pick).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
);
