/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type checking is done once by `tsc --noEmit` (npm run typecheck); the test transform only strips types.
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  // Tests must never reach a real endpoint or pick up a developer's AWS profile.
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  testTimeout: 60000,
};
