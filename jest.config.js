// The tests' own synthesis skips aws-cdk-lib's built-in CloudFormation validation (its documented
// switch): it loads a WebAssembly module again in every test file, seconds each, and it only warns
// unless `@aws-cdk/core:validateAgainstDefaultRules` is set. test/example runs the example app
// with it, strict, as cdk.json sets it.
process.env.CDK_VALIDATION ??= 'false';
// The SDK's documented switch for its notice that Node.js 20 support ends: the tests run it on
// the developer's Node.js (which the notice concerns), the shipped handler on Lambda's Node.js 22+;
// without it, each test file that loads the client prints the notice again.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
  // Most suites wait on child processes, timers, sockets and retry windows rather than on a
  // core, so four workers overlap that waiting even on two cores (the default, one worker per
  // core but one, runs a 2-core machine's files one after another): 84 s against 107 s with two.
  maxWorkers: 4,
  // The integration sequences (test.concurrent) mostly wait on retry windows and timers, not
  // the CPU: more of them at once shortens the suite without slowing each.
  maxConcurrency: 12,
  // After jest's own summary: what the integration sequences covered.
  reporters: ['default', '<rootDir>/test/support/integration-figures-reporter.js'],
};
