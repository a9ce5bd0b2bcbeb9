/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>"],
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/dist/"],
  modulePathIgnorePatterns: ["<rootDir>/dist/"],
  testMatch: ["**/*.test.ts"],
  // Type checking is done by `npm run typecheck` (tsc over sources and tests, in `npm test`); jest only transpiles.
  transform: { "^.+\\.ts$": ["ts-jest", { isolatedModules: true }] },
  testTimeout: 60000,
  // Notebooks with kernelspec "llmlab" run on this checkout's kernel without an installed kernelspec.
  setupFiles: ["<rootDir>/tests/helpers/own-kernel.ts"],
};
