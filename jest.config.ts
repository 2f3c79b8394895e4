import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  // middy 7 publishes only an `import` export condition, which jest's CommonJS resolver skips:
  // point it at the package entry; swc compiles it to CommonJS below.
  moduleNameMapper: { '^@middy/([a-z-]+)$': '<rootDir>/node_modules/@middy/$1/index.js' },
  roots: ['<rootDir>/shared', '<rootDir>/functions', '<rootDir>/infra', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // swc compiles TypeScript, and the ES-module-only packages (middy, jose, ulid) to CommonJS.
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { target: 'es2023' } }] },
  transformIgnorePatterns: ['/node_modules/(?!(@middy|jose|ulid)/)'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFiles: ['<rootDir>/test/support/env.ts'],
  testTimeout: 30_000,
  // Every file stops what it started (afterAll), and globalTeardown stops DynamoDB Local; once,
  // on a clean clone, the main process still sat idle after all tests had passed (no child,
  // only pipe handles). A CI run must end when its tests have, so the exit is forced.
  forceExit: true,
};

export default config;
