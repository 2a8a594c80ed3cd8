/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
  // After jest's own summary: what the integration sequences covered.
  reporters: ['default', '<rootDir>/test/support/integration-figures-reporter.js'],
};
