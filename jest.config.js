/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // swc strips types and turns ESM into what Jest runs; `npm test` type-checks with tsc first.
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
    ],
  },
  // Middy 6 and jose 6 ship only ES modules.
  transformIgnorePatterns: ['/node_modules/(?!(@middy|jose)/)'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  globalSetup: '<rootDir>/test/support/globalSetup.cjs',
  globalTeardown: '<rootDir>/test/support/globalTeardown.cjs',
  testSequencer: '<rootDir>/test/support/longSuitesFirst.cjs',
  setupFiles: ['<rootDir>/test/support/quietLogs.ts'],
  // A wide margin for ordinary tests on a busy 2-core machine (CI shares it with other jobs); the
  // few long tests (fuzzing, properties, concurrency rounds, CLI processes, synth) set their own.
  testTimeout: 60_000,
  maxWorkers: 2,
};
