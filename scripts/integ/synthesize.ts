/**
 * Synthesizes an integration test app the same way every time, on every machine: fixed
 * context (the feature flags a new `cdk init` app gets with this aws-cdk-lib, no version
 * reporting, no metadata that holds paths or stack traces) and a minimal environment.
 * The templates then depend on the code alone, so a committed snapshot can be compared.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../run-command';

const PROJECT_ROOT = join(__dirname, '..', '..');

export function integContext(): Record<string, unknown> {
  const recommendedFlags = JSON.parse(readFileSync(require.resolve('aws-cdk-lib/recommended-feature-flags.json'), 'utf8'));
  return {
    ...recommendedFlags,
    'aws:cdk:version-reporting': false,
    'aws:cdk:enable-path-metadata': false,
    'aws:cdk:enable-asset-metadata': false,
    'aws:cdk:disable-stack-trace': true,
    'aws:cdk:disable-creation-stack-traces': true,
  };
}

/** Runs the test app (TypeScript, through tsx) and returns the cloud assembly's folder. */
export function synthesizeIntegApp(testFile: string): string {
  const outdir = mkdtempSync(join(tmpdir(), 'integ-assembly-'));
  runCommand(process.execPath, [require.resolve('tsx/cli'), testFile], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify(integContext()),
    },
  });
  return outdir;
}
