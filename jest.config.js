/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // dist/ holds the compiled CLI (`npm run build`): never tests, and never a second copy of a module.
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/dist/'],
  transform: {
    // Type checking is done once by `tsc --noEmit` (npm run typecheck); the test transform only strips types,
    // with esbuild (test/helpers/esbuild-jest.cjs says why).
    '^.+\\.ts$': '<rootDir>/test/helpers/esbuild-jest.cjs',
  },
  // Tests must never reach a real endpoint or pick up a developer's AWS profile.
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  testTimeout: 60000,
  // Jest's default is one worker per core minus one: a single worker on the two-core CI machine. Two workers
  // there measured 15 % faster on test/lib + test/collectors (39.9 s against 46.5 s).
  maxWorkers: 2,
};
