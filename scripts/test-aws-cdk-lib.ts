/**
 * Proves the construct against either end of the aws-cdk-lib peer range: the oldest release it
 * admits, or the newest one published (what `cdk init` installs today, and the one cdk-nag's
 * AwsSolutions-L1 measures the default runtime against). Installs the packed library with
 * exactly that aws-cdk-lib into a new CDK app (npm refuses a version outside the peer range),
 * synthesizes it with the cdk-nag majors that release supports registered on the app, then runs
 * the construct tests, cdk-nag's included, against that aws-cdk-lib.
 *
 * Run after `npm run build` (`npm test` builds): `tsx scripts/test-aws-cdk-lib.ts oldest|newest [jest options]`.
 * The jest options go to the construct tests' run, e.g. `--json --outputFile=results.json`.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALIAS_RESOURCE_TYPE } from '../lib/resource-properties';
import { installAndSynthesize, installedVersion, nagAnnotations, NagMajor, writeConsumerApp } from '../test/package/consumer-app';
import { npmEnvironment } from '../test/package/npm-environment';
import { assertBuildIsFresh, packProject } from '../test/package/pack';
import { runCommand, tryCommand } from './run-command';

const root = join(__dirname, '..');

interface Target {
  readonly version: string;
  /** The cdk-nag majors that run on it: cdk-nag 3 needs aws-cdk-lib 2.257.0. */
  readonly nag: readonly NagMajor[];
}

const TARGETS: Record<string, (peerRange: string) => Target> = {
  oldest: (peerRange) => ({ version: oldestAdmitted(peerRange), nag: [2] }),
  newest: () => ({ version: newestPublished(), nag: [2, 3] }),
};

// The construct tests of cdk-nag 3, for a release it does not support.
const NAG3_TESTS = '/test/construct/cdk-nag\\.test\\.ts$';

/** The lowest version a `^X.Y.Z` range admits. */
export function oldestAdmitted(range: string): string {
  const floor = /^\^(\d+\.\d+\.\d+)$/.exec(range)?.[1];
  if (!floor) throw new Error(`the aws-cdk-lib peer range "${range}" is not of the form ^X.Y.Z: adapt oldestAdmitted.`);
  return floor;
}

/** The release of aws-cdk-lib that `npm install aws-cdk-lib` gives today. */
function newestPublished(): string {
  return runCommand('npm', ['view', 'aws-cdk-lib', 'version'], { cwd: root, env: npmEnvironment() }).stdout.trim();
}

function main(targetName: string | undefined, jestOptions: string[]): number {
  const target = TARGETS[targetName ?? '']?.(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).peerDependencies['aws-cdk-lib']);
  if (!target) throw new Error(`give the aws-cdk-lib to test against: ${Object.keys(TARGETS).join(' or ')}, then any jest options.`);
  assertBuildIsFresh(root);
  const work = mkdtempSync(join(tmpdir(), `alias-${targetName}-cdk-`));
  try {
    const app = join(work, 'app');
    const outdir = join(work, 'cdk.out');
    mkdirSync(app);
    writeConsumerApp(
      app,
      packProject(root, work).path,
      root,
      { 'aws-cdk-lib': target.version, '@cdklabs/cdk-validator-cfnguard': installedVersion(root, '@cdklabs/cdk-validator-cfnguard') },
      target.nag,
    );
    const resources = Object.values(installAndSynthesize(app, outdir).Resources);
    const aliases = resources.filter((resource) => resource.Type === ALIAS_RESOURCE_TYPE).length;
    if (installedVersion(app, 'aws-cdk-lib') !== target.version || aliases !== 2) {
      throw new Error(`expected 2 aliases synthesized with aws-cdk-lib ${target.version}, got ${aliases} with ${installedVersion(app, 'aws-cdk-lib')}`);
    }
    const findings = nagAnnotations(outdir);
    if (findings.length > 0) throw new Error(`cdk-nag found, unsuppressed, with aws-cdk-lib ${target.version}:\n${findings.join('\n')}`);
    console.error(
      `aws-cdk-lib ${target.version}: the packed library installs and synthesizes, cdk-nag ${target.nag.join(' and ')} found nothing; ` +
        'running the construct tests against it.',
    );

    // The sources and tests next to that app's node_modules, so that they resolve its aws-cdk-lib.
    for (const folder of ['lib', 'bin', 'test/construct', 'assets/handler']) cpSync(join(root, folder), join(app, folder), { recursive: true });
    const autoclean = join(app, 'node_modules', 'aws-cdk-lib', 'testhelpers', 'jest-autoclean.js');
    // The project's jest settings (loading them also sets the environment they run in), with
    // what lives in this repository resolved from here, and its own reporter left out.
    const projectConfig = require('../jest.config.js');
    const config = {
      ...projectConfig,
      rootDir: app,
      testPathIgnorePatterns: target.nag.includes(3) ? [] : [NAG3_TESTS],
      transform: { '^.+\\.tsx?$': [require.resolve('@swc/jest')] },
      setupFilesAfterEnv: existsSync(autoclean) ? [autoclean] : [],
      reporters: ['default'],
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
    const [target, ...jestOptions] = process.argv.slice(2);
    process.exitCode = main(target, jestOptions);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
