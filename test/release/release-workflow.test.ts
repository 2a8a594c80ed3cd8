import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandsOf, readWorkflow, schemaErrors, secretsOf } from './workflow';

// The release workflow publishes the five packages from a version tag and from nothing else.
// It cannot be run here, so its shape is what is checked: what triggers it, what each job runs,
// which secrets and permissions each gets.
const workflow = readWorkflow('release.yml');
const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));

// Each registry's publisher, the package folder jsii-pacmak writes for it, and the secrets
// publib reads for it (the Go module is pushed to its own GitHub repository).
const PUBLISHERS = {
  'publib-npm': { folder: 'dist/js', secrets: ['NPM_TOKEN'] },
  'publib-pypi': { folder: 'dist/python', secrets: ['TWINE_PASSWORD', 'TWINE_USERNAME'] },
  'publib-maven': {
    folder: 'dist/java',
    secrets: ['MAVEN_GPG_PRIVATE_KEY', 'MAVEN_GPG_PRIVATE_KEY_PASSPHRASE', 'MAVEN_PASSWORD', 'MAVEN_USERNAME'],
  },
  'publib-nuget': { folder: 'dist/dotnet', secrets: ['NUGET_API_KEY'] },
  'publib-golang': { folder: 'dist/go', secrets: ['GO_GITHUB_TOKEN'] },
} as const;

test('GitHub accepts the workflow (its schema, checked offline)', () => {
  expect(schemaErrors('release.yml')).toBe('');
});

test('it runs on a pushed version tag only: no branch push, no pull request, no manual run', () => {
  expect(workflow.on).toEqual({ push: { tags: ['v*'] } });
});

test('the workflow token may only read, unless a job says otherwise', () => {
  expect(workflow.permissions).toEqual({ contents: 'read' });
});

test('the jobs: a build, one publisher per registry, and the GitHub release', () => {
  expect(Object.keys(workflow.jobs).sort()).toEqual(['build', 'github-release', ...Object.keys(PUBLISHERS)].sort());
});

describe('the build job', () => {
  const build = workflow.jobs.build;
  const commands = commandsOf(build);

  test('refuses a tag that does not name package.json\'s version, before anything else', () => {
    expect(build.steps.findIndex((step) => step.run?.includes('$GITHUB_REF_NAME') && step.run.includes('package.json'))).toBeLessThan(
      build.steps.findIndex((step) => step.run?.startsWith('npm ci')),
    );
  });

  test('installs from the lock file, tests, and builds every package with jsii-pacmak', () => {
    expect(commands).toMatch(/^npm ci\b/m);
    expect(commands).toMatch(/^npm test$/m);
    expect(commands.indexOf('npm test')).toBeLessThan(commands.indexOf('jsii-pacmak'));
    expect(commands).not.toMatch(/jsii-pacmak.*--code-only/);
  });

  test('has the tools each language\'s package is built with', () => {
    const setups = build.steps.map((step) => step.uses?.split('@')[0]);
    expect(setups).toEqual(
      expect.arrayContaining(['actions/setup-node', 'actions/setup-python', 'actions/setup-java', 'actions/setup-dotnet', 'actions/setup-go']),
    );
  });

  test('uploads what jsii-pacmak wrote (package.json\'s jsii.outdir) as the artifact the others publish', () => {
    const upload = build.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.with).toMatchObject({ name: 'dist', path: manifest.jsii.outdir });
  });

  test('writes the release notes from the CHANGELOG section of the tag\'s version', () => {
    expect(commands).toContain(`scripts/changelog.ts "\${GITHUB_REF_NAME#v}" > ${manifest.jsii.outdir}/release-notes.md`);
  });

  test('sees no secret and may not write: it runs the dependencies and the tests', () => {
    expect(secretsOf(build)).toEqual([]);
    expect(build.permissions).toBeUndefined();
  });
});

describe.each(Object.entries(PUBLISHERS))('the %s job', (name, { folder, secrets }) => {
  const job = workflow.jobs[name];

  test('starts once the build succeeded, from its artifact', () => {
    expect(job.needs).toBe('build');
    const download = job.steps.find((step) => step.uses?.startsWith('actions/download-artifact@'));
    expect(download?.with).toEqual({ name: 'dist', path: 'dist' });
  });

  test(`publishes ${folder} with publib, at a pinned version`, () => {
    expect(commandsOf(job)).toMatch(new RegExp(`^npx -p publib@\\d+\\.\\d+\\.\\d+ ${name} ${folder}$`, 'm'));
  });

  test(`gets exactly its own secrets: ${secrets.join(', ')}`, () => {
    expect(secretsOf(job)).toEqual(secrets);
  });

  test('checks out nothing: it publishes the tested artifact, not the sources', () => {
    expect(job.steps.some((step) => step.uses?.startsWith('actions/checkout@'))).toBe(false);
  });
});

test('npm publishes with provenance, the only job that may request an OIDC token', () => {
  const npm = workflow.jobs['publib-npm'];
  expect(npm.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
  expect(npm.steps.find((step) => step.run?.includes('publib-npm'))?.env).toMatchObject({ NPM_CONFIG_PROVENANCE: 'true' });
  const others = Object.entries(workflow.jobs).filter(([name]) => name !== 'publib-npm');
  for (const [, job] of others) expect(job.permissions?.['id-token']).toBeUndefined();
});

test('Maven Central is reached through its current publishing service, with a signing key', () => {
  expect(workflow.jobs['publib-maven'].steps.find((step) => step.run?.includes('publib-maven'))?.env).toMatchObject({
    MAVEN_SERVER_ID: 'central-ossrh',
  });
});

test('the GitHub release takes its notes from the artifact and is the only job that may write to the repository', () => {
  const release = workflow.jobs['github-release'];
  expect(release.needs).toBe('build');
  expect(release.permissions).toEqual({ contents: 'write' });
  expect(commandsOf(release)).toMatch(/^gh release create "\$GITHUB_REF_NAME" .*--notes-file dist\/release-notes\.md --verify-tag/m);
  expect(secretsOf(release)).toEqual(['GITHUB_TOKEN']);
  for (const [name, job] of Object.entries(workflow.jobs)) {
    if (name !== 'github-release') expect(job.permissions?.contents ?? 'read').toBe('read');
  }
});
