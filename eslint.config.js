// Type-aware linting: typescript-eslint's strict and stylistic type-checked sets, tuned to this
// codebase below. Formatting is Prettier's job alone (eslint-config-prettier, last, turns off
// every rule that would fight it).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'cdk.out/',
      '.local/',
      'coverage/',
      'bench-results/',
      'test-results/',
      'playwright-report/',
      'docs/openapi.json',
      'client/dist/',
      'web/dist/',
      'client/src/schema.d.ts',
    ],
  },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  {
    // Each file is checked with the tsconfig.json nearest to it (the root one, or bench's).
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    // A disable comment that no longer suppresses anything fails the lint, so none outlives its reason.
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    rules: {
      // With noUncheckedIndexedAccess every `m[1]` of a matched regex and `arr[i]` inside its bounds
      // is `T | undefined`; `!` is the visible, greppable claim that it is there. The alternatives
      // (`as T`, `?? ''`) hide the claim or invent a value. Redundant `!`s are still caught by
      // no-unnecessary-type-assertion.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Flags checks the types call impossible, but here the types are stricter than what arrives:
      // AWS event shapes (headers, requestContext), caught values cast to Error, and flags set in
      // a callback (`let done = false; await run(() => (done = true)); if (done)`) that TypeScript
      // narrows to their initial value. Removing those checks would trade robustness for the rule.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // `async () => value` is how fakes and interface implementations return a promise, and it
      // turns a throw into a rejection; the promise rules that matter (no-floating-promises,
      // no-misused-promises, await-thenable) stay on.
      '@typescript-eslint/require-await': 'off',
      // The code returns void calls for early exits (`return send(res, 404, …)`) and callbacks are
      // arrow shorthands (`() => resolve()`): the rule would only rewrite that style.
      '@typescript-eslint/no-confusing-void-expression': 'off',
      // Deleting a dynamic key is how an env var is unset (`delete process.env[k]`) and how a record
      // read from DynamoDB drops its key attributes; neither can be a Map.
      '@typescript-eslint/no-dynamic-delete': 'off',
      // The codebase has no TypeScript enums (string unions and zod enums instead), so the rule
      // cannot fire; it was the slowest rule of the set (~18% of a cold run).
      '@typescript-eslint/no-unsafe-enum-assignment': 'off',
      // Numbers in messages and keys are the norm; nullish values, objects and `unknown` still
      // need an explicit String(…) so "undefined" or "[object Object]" never lands in a message.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `unknown` is exempt by default; `{}` is what `unknown` becomes once checked for null and
      // undefined (`value === undefined || value === null ? … : String(value)`), so it is too.
      '@typescript-eslint/no-base-to-string': ['error', { ignoredTypeNames: ['Error', 'RegExp', 'URL', 'URLSearchParams', '{}'] }],
      // For strings `||` is deliberate: an empty env var or header means "not set" and falls back.
      '@typescript-eslint/prefer-nullish-coalescing': ['error', { ignorePrimitives: { string: true } }],
      // An empty arrow is an explicit no-op callback (`log: () => {}`); empty functions and methods
      // are still flagged.
      '@typescript-eslint/no-empty-function': ['error', { allow: ['arrowFunctions'] }],
      // `_` marks a parameter kept for its position and a destructured key dropped from a rest.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Tests and the benchmark read our own API's untyped JSON bodies (`res.body.items[0].id`);
    // tests assert on them with expect, which is the type check, and a wrong field fails a bench
    // run. Typing every body would add casts, not safety.
    files: ['**/*.test.ts', 'test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
  {
    files: ['**/*.test.ts', 'test/**'],
    rules: {
      // Arithmetic on a parsed body (`before.ratingCount + 1`), as above.
      '@typescript-eslint/restrict-plus-operands': ['error', { allowAny: true }],
      // Fakes and helpers pass on the rejection they got: a fetch fake the abort signal's reason
      // (typed any), as fetch does; a wrapper the error it caught (unknown).
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      // Tests stringify what they assert on (a fetch fake's input, a logged message); a
      // "[object …]" would fail the assertion that follows.
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  // Plain JavaScript (this file, bench's CommonJS child) has no types to check.
  { files: ['**/*.{js,cjs,mjs}'], extends: [tseslint.configs.disableTypeChecked] },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
