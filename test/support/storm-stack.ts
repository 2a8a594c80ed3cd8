/**
 * A stack of many aliases, synthesized with a given version of the construct library (this
 * checkout's, or a release's sources loaded from elsewhere), for the deploy-storm runs.
 */
import { App, Stack } from 'aws-cdk-lib';
import type * as cxapi from 'aws-cdk-lib/cx-api';
import type { Construct } from 'constructs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { INSTANCE_ID, TEST_ENVIRONMENT } from '../fixtures/environment';

/** What a version of the library exports that the stack needs. */
export interface AliasLibrary {
  readonly EmailAddressAlias: new (scope: Construct, id: string, props: any) => unknown;
}

/** A primary email address and the address that forwards to it. */
export interface AddressPair {
  readonly emailAddressId: string;
  readonly aliasEmailAddressId: string;
}

const REPOSITORY = join(__dirname, '..', '..');

/**
 * One alias per pair, all in the instance INSTANCE_ID, each with `props` added (the shared
 * handler settings), in stack `stackName` (default `AliasStormStack`) under `outdir`.
 */
export function synthesizeAliasStack(
  library: AliasLibrary,
  pairs: readonly AddressPair[],
  props: Record<string, unknown>,
  outdir: string,
  stackName = 'AliasStormStack',
): cxapi.CloudFormationStackArtifact {
  const app = new App({ outdir });
  const stack = new Stack(app, stackName, { env: TEST_ENVIRONMENT });
  pairs.forEach((pair, index) => new library.EmailAddressAlias(stack, `Alias${index}`, { instanceId: INSTANCE_ID, ...pair, ...props }));
  return app.synth().getStackArtifact(stack.artifactId);
}

/**
 * The library as committed at `commit`: its sources exported into a new directory under
 * `parent`, this checkout's node_modules linked in, and its handler bundled by its own build
 * script. Nothing is written inside the repository.
 */
export function releaseLibrary(commit: string, parent: string): AliasLibrary {
  const directory = mkdtempSync(join(parent, 'release-'));
  execFileSync('sh', ['-c', 'git archive --format=tar "$1" | tar -x -C "$2"', 'sh', commit, directory], { cwd: REPOSITORY });
  symlinkSync(join(REPOSITORY, 'node_modules'), join(directory, 'node_modules'), 'dir');
  execFileSync(join(REPOSITORY, 'node_modules', '.bin', 'tsx'), ['scripts/bundle-handler.ts'], {
    cwd: directory,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return require(join(directory, 'lib'));
}
