import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../../scripts/run-command';
import { npmEnvironment } from './npm-environment';

/** The stack the consumer app synthesizes, and the logical IDs the test looks for. */
export const CONSUMER_STACK = 'ConsumerStack';
export const PRIMARY_ADDRESS_ID = 'PrimaryAddress';
export const ALIAS_ADDRESS_ID = 'AliasAddress';

/** A cdk-nag major the consumer app runs on itself. */
export type NagMajor = 2 | 3;

interface NagRegistration {
  readonly imports: string;
  readonly register: string;
  readonly packageName: string;
  /** The dependency's version: the one this repository's lock installed. */
  readonly version: (projectRoot: string) => string;
}

/**
 * Each major as its README registers it: cdk-nag 2 is an Aspect, which reports through
 * annotations; cdk-nag 3 a validation plugin, which fails the synthesis on a finding. cdk-nag 3
 * and `Validations` need newer aws-cdk-lib releases than the floor of the peer range.
 */
const NAG_REGISTRATIONS: Record<NagMajor, NagRegistration> = {
  2: {
    imports: "import { Aspects } from 'aws-cdk-lib';\nimport * as nag2 from 'cdk-nag-v2';",
    register: 'Aspects.of(app).add(new nag2.AwsSolutionsChecks());',
    packageName: 'cdk-nag-v2',
    version: (root) => `npm:cdk-nag@${installedVersion(root, 'cdk-nag-v2')}`,
  },
  3: {
    imports: "import { Validations } from 'aws-cdk-lib';\nimport * as nag3 from 'cdk-nag';",
    register: 'Validations.of(app).addPlugins(new nag3.AwsSolutionsChecks());',
    packageName: 'cdk-nag',
    version: (root) => installedVersion(root, 'cdk-nag'),
  },
};

/**
 * A CDK app as a user writes it after `npm install cdk-connect-email-address-alias`: it imports
 * the package by name (so `main`, `exports` and `types` are exercised) and declares one alias
 * by literal IDs and one by `CfnEmailAddress` tokens.
 */
const APP_SOURCE = `import { App, Stack } from 'aws-cdk-lib';
import { CfnEmailAddress } from 'aws-cdk-lib/aws-connect';
import { EmailAddressAlias, EmailAddressAliasProps } from 'cdk-connect-email-address-alias';

const app = new App();
const stack = new Stack(app, '${CONSUMER_STACK}');
const instanceArn = 'arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555';

const byIds: EmailAddressAliasProps = {
  instanceId: '11111111-2222-3333-4444-555555555555',
  emailAddressId: 'aaaaaaaa-0000-0000-0000-000000000001',
  aliasEmailAddressId: 'aaaaaaaa-0000-0000-0000-000000000002',
};
new EmailAddressAlias(stack, 'AliasByIds', byIds);

const primary = new CfnEmailAddress(stack, '${PRIMARY_ADDRESS_ID}', {
  instanceArn,
  emailAddress: 'support@example.email.connect.aws',
});
const alias = new CfnEmailAddress(stack, '${ALIAS_ADDRESS_ID}', {
  instanceArn,
  emailAddress: 'help@example.email.connect.aws',
});
new EmailAddressAlias(stack, 'AliasByTokens', {
  instanceId: instanceArn,
  emailAddressId: primary.attrEmailAddressArn,
  aliasEmailAddressId: alias.attrEmailAddressArn,
});
`;

/**
 * The compiler settings `cdk init app --language typescript` writes (NodeNext resolution, so
 * the package's `exports` map must lead to its types), emitting CommonJS to run with Node.js.
 */
export const CDK_INIT_COMPILER_OPTIONS = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  lib: ['es2022'],
  types: ['node'],
  strict: true,
  isolatedModules: true,
  skipLibCheck: true,
};

const TSCONFIG = {
  compilerOptions: { ...CDK_INIT_COMPILER_OPTIONS, outDir: 'build' },
  files: ['app.ts'],
};

/**
 * Writes the consumer project into `folder`: the tarball and the same aws-cdk-lib, constructs
 * and @types/node versions as this repository's lock file installed (so the npm cache serves them),
 * unless `dependencies` names other versions or more packages; with the cdk-nag majors in `nag`
 * (the lock's versions) registered on the app.
 */
export function writeConsumerApp(
  folder: string,
  tarball: string,
  projectRoot: string,
  dependencies: Record<string, string> = {},
  nag: readonly NagMajor[] = [],
): void {
  const sameVersion = (name: string) => installedVersion(projectRoot, name);
  const manifest = {
    name: 'consumer-app',
    private: true,
    dependencies: {
      'aws-cdk-lib': sameVersion('aws-cdk-lib'),
      constructs: sameVersion('constructs'),
      'cdk-connect-email-address-alias': `file:${tarball}`,
      ...Object.fromEntries(nag.map((major) => [NAG_REGISTRATIONS[major].packageName, NAG_REGISTRATIONS[major].version(projectRoot)])),
      ...dependencies,
    },
    devDependencies: { '@types/node': sameVersion('@types/node') },
  };
  writeFileSync(join(folder, 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
  const registrations = nag.map((major) => NAG_REGISTRATIONS[major]);
  const source = [...registrations.map((r) => r.imports), APP_SOURCE, ...registrations.map((r) => r.register), 'app.synth();', ''];
  writeFileSync(join(folder, 'app.ts'), source.join('\n'));
}

/**
 * Installs the consumer project in `app` (npm refuses with ERESOLVE when a peer range excludes
 * a version it names), type-checks it against the package's declarations, runs it as plain
 * Node.js with the cloud assembly in `outdir`, and returns the consumer stack's template.
 */
export function installAndSynthesize(app: string, outdir: string): { Resources: Record<string, any> } {
  runCommand('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: app,
    env: npmEnvironment(),
    timeoutMs: 150_000,
  });
  runCommand(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', app], { cwd: app });
  runCommand(process.execPath, [join(app, 'build', 'app.js')], {
    cwd: app,
    env: { ...process.env, CDK_OUTDIR: outdir },
  });
  return JSON.parse(readFileSync(join(outdir, `${CONSUMER_STACK}.template.json`), 'utf8'));
}

/**
 * What cdk-nag 2 left unsuppressed in the consumer stack's assembly, as "rule construct-path":
 * its findings are annotations, which `cdk synth` prints. (cdk-nag 3 fails the synthesis instead.)
 * Read from the manifest itself: the app's aws-cdk-lib may write a newer schema than this
 * repository's reads.
 */
export function nagAnnotations(outdir: string): string[] {
  const readJson = (file: string) => JSON.parse(readFileSync(join(outdir, file), 'utf8'));
  const stack = readJson('manifest.json').artifacts[CONSUMER_STACK];
  // Newer releases write the stack's metadata to a file of its own.
  const metadata: Record<string, Array<{ type: string; data: unknown }>> = stack.additionalMetadataFile
    ? { ...stack.metadata, ...readJson(stack.additionalMetadataFile) }
    : (stack.metadata ?? {});
  return Object.entries(metadata).flatMap(([path, entries]) =>
    entries
      .filter((entry) => ['aws:cdk:error', 'aws:cdk:warning'].includes(entry.type) && String(entry.data).startsWith('AwsSolutions-'))
      .map((entry) => `${String(entry.data).split(':')[0]} ${path}`),
  );
}

/** The version of `name` installed in `projectRoot`. */
export function installedVersion(projectRoot: string, name: string): string {
  return JSON.parse(readFileSync(join(projectRoot, 'node_modules', name, 'package.json'), 'utf8')).version;
}
