import type { Config } from 'jest';

/**
 * Three tiers, each a jest project (`npm run test:unit`, `test:integration`, `test:e2e`):
 * - unit: `*.test.ts` beside the code: no DynamoDB, no child process, seconds;
 * - integration: `*.int.test.ts` beside the code and `test/**` (but test/e2e): DynamoDB Local,
 *   one instance for the run, a table per file; and the synthesized CDK app (seconds a synth);
 * - e2e: `test/e2e/**`: one local stack (`npm start`'s) for the whole tier, each file with its
 *   own users, tutors and slots.
 */
const shared: Config = {
  testEnvironment: 'node',
  // middy 7 publishes only an `import` export condition, which jest's CommonJS resolver skips:
  // point it at the package entry; swc compiles it to CommonJS below.
  moduleNameMapper: { '^@middy/([a-z-]+)$': '<rootDir>/node_modules/@middy/$1/index.js' },
  // swc compiles TypeScript, and the ES-module-only packages (middy, jose, ulid, oidc-provider, and those
  // openapi-typescript requires: its own node_modules, change-case, index-to-position) to CommonJS.
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { target: 'es2023' } }] },
  transformIgnorePatterns: [
    '/node_modules/(?!(@middy|jose|ulid|oidc-provider|change-case|index-to-position)/|openapi-typescript/node_modules/)(?<!openapi-typescript/node_modules/)',
  ],
  setupFiles: ['<rootDir>/test/support/env.ts'],
};

const config: Config = {
  testTimeout: 30_000,
  // Most files wait on DynamoDB Local or the local stack rather than compute: three workers
  // on two cores finish the suite in ~210 s where one takes ~270 s.
  maxWorkers: 3,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      roots: ['<rootDir>/shared', '<rootDir>/functions', '<rootDir>/infra', '<rootDir>/client', '<rootDir>/web/src'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.int\\.test\\.ts$'],
      // A unit test that reaches for DynamoDB fails at once, naming the tier it belongs in.
      setupFiles: [...shared.setupFiles!, '<rootDir>/test/support/unit-env.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      roots: ['<rootDir>/shared', '<rootDir>/functions', '<rootDir>/infra', '<rootDir>/test'],
      testMatch: ['**/*.int.test.ts', '<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      ...shared,
      displayName: 'e2e',
      roots: ['<rootDir>/test/e2e'],
      testMatch: ['**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/e2e-global-setup.ts',
      globalTeardown: '<rootDir>/test/support/e2e-global-teardown.ts',
    },
  ],
};

export default config;
