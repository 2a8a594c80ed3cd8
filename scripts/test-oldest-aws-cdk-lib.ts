/**
 * Proves the floor of the aws-cdk-lib peer range: installs the packed library with exactly the
 * oldest aws-cdk-lib the range admits into a new CDK app (npm refuses a version outside the peer
 * range), synthesizes it, then runs the construct tests against that aws-cdk-lib.
 *
 * Run after `npm run build` (`npm test` builds): `tsx scripts/test-oldest-aws-cdk-lib.ts [jest options]`.
 * The jest options go to the construct tests' run, e.g. `--json --outputFile=results.json`.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALIAS_RESOURCE_TYPE } from '../lib/resource-properties';
import { installAndSynthesize, installedVersion, writeConsumerApp } from '../test/package/consumer-app';
import { assertBuildIsFresh, packProject } from '../test/package/pack';
import { tryCommand } from './run-command';

const root = join(__dirname, '..');

// cdk-nag 3 needs a newer aws-cdk-lib than the floor: its tests stay out of this run.
const NEEDS_NEWER_AWS_CDK_LIB = ['/test/construct/cdk-nag\\.test\\.ts$'];

/** The lowest version a `^X.Y.Z` range admits. */
export function oldestAdmitted(range: string): string {
  const floor = /^\^(\d+\.\d+\.\d+)$/.exec(range)?.[1];
  if (!floor) throw new Error(`the aws-cdk-lib peer range "${range}" is not of the form ^X.Y.Z: adapt oldestAdmitted.`);
  return floor;
}

function main(jestOptions: string[]): number {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const floor = oldestAdmitted(manifest.peerDependencies['aws-cdk-lib']);
  assertBuildIsFresh(root);
  const work = mkdtempSync(join(tmpdir(), 'alias-oldest-cdk-'));
  try {
    const app = join(work, 'app');
    mkdirSync(app);
    writeConsumerApp(app, packProject(root, work).path, root, {
      'aws-cdk-lib': floor,
      'cdk-nag-v2': `npm:cdk-nag@${installedVersion(root, 'cdk-nag-v2')}`,
      '@cdklabs/cdk-validator-cfnguard': installedVersion(root, '@cdklabs/cdk-validator-cfnguard'),
    });
    const resources = Object.values(installAndSynthesize(app, join(work, 'cdk.out')).Resources);
    const aliases = resources.filter((resource) => resource.Type === ALIAS_RESOURCE_TYPE).length;
    if (installedVersion(app, 'aws-cdk-lib') !== floor || aliases !== 2) {
      throw new Error(`expected 2 aliases synthesized with aws-cdk-lib ${floor}, got ${aliases} with ${installedVersion(app, 'aws-cdk-lib')}`);
    }
    console.error(`aws-cdk-lib ${floor}: the packed library installs and synthesizes; running the construct tests against it.`);

    // The sources and tests next to that app's node_modules, so that they resolve its aws-cdk-lib.
    for (const folder of ['lib', 'test/construct', 'assets/handler']) cpSync(join(root, folder), join(app, folder), { recursive: true });
    const autoclean = join(app, 'node_modules', 'aws-cdk-lib', 'testhelpers', 'jest-autoclean.js');
    const config = {
      rootDir: app,
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: NEEDS_NEWER_AWS_CDK_LIB,
      transform: { '^.+\\.tsx?$': [require.resolve('@swc/jest')] },
      moduleFileExtensions: ['ts', 'js', 'json'],
      setupFilesAfterEnv: existsSync(autoclean) ? [autoclean] : [],
    };
    const jest = require.resolve('jest/bin/jest');
    const run = tryCommand(process.execPath, [jest, '--config', JSON.stringify(config), ...jestOptions], {
      cwd: app,
      timeoutMs: 600_000,
    });
    process.stderr.write(run.stderr);
    process.stdout.write(run.stdout);
    return run.status ?? 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
