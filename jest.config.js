/** @type {import('jest').Config} */
module.exports = {
  // Both cores (jest's default is one worker less than the cores: one worker on a 2-core machine).
  maxWorkers: '100%',
  // A fresh folder per run for the shared syntheses (test/fixtures/shared-synth.ts).
  globalSetup: '<rootDir>/test/setup/global-setup.js',
  globalTeardown: '<rootDir>/test/setup/global-teardown.js',
  // Every file: no AWS endpoint reachable; CDK's built-in CloudFormation validation off unless a test asks;
  // the AWS SDK's Node-version notice off, as the CLI turns it off.
  setupFiles: ['<rootDir>/test/no-aws.js', '<rootDir>/test/setup/cdk-validation.js', '<rootDir>/test/setup/quiet-sdk.js'],
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
