/** @type {import('jest').Config} */
module.exports = {
  setupFiles: ['<rootDir>/test/no-aws.js'],
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type-checking happens once in `npm test` (tsc --noEmit); jest only transpiles.
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }],
  },
  testTimeout: 120000,
  reporters: ['default', '<rootDir>/test/summary-reporter.js', '<rootDir>/test/results-reporter.js'],
};
