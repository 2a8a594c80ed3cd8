import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALIAS_RESOURCE_TYPE } from '../../lib/resource-properties';
import { CdkAppRun, resourcesOfType, runCdkApp, stackTemplates } from '../support/cdk-app-process';

// The example app, bin/app.ts, run as `cdk synth -c key=value` runs it: in its own process,
// with cdk.json's context (the feature flags) and the options merged into its context. The run
// without options, the one `npx cdk synth` makes on a fresh clone, also has aws-cdk-lib's
// CloudFormation validation, which those flags make strict (seconds of CPU, so only there).
const projectRoot = join(__dirname, '..', '..');
const cdkJsonContext: Record<string, unknown> = JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8')).context;

const INSTANCE = 'a1b2c3d4-0000-4000-8000-00000000c0de';
const PRIMARY = 'e0000000-0000-4000-8000-000000000001';
const ALIAS = 'e0000000-0000-4000-8000-000000000002';
const emailAddressArn = (id: string) => `arn:aws:connect:eu-west-2:123456789012:instance/${INSTANCE}/email-address/${id}`;

const CASES = {
  'no option': {},
  'instanceId alone': { instanceId: INSTANCE },
  'a misspelled key': { instanceid: INSTANCE, emailAddressId: PRIMARY, aliasEmailAddressId: ALIAS },
  'all three IDs': { instanceId: INSTANCE, emailAddressId: PRIMARY, aliasEmailAddressId: ALIAS },
  'address ARNs without instanceId': { emailAddressId: emailAddressArn(PRIMARY), aliasEmailAddressId: emailAddressArn(ALIAS) },
};

let work: string;
let runs: Record<keyof typeof CASES, CdkAppRun>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'example-app-'));
  const entries = await Promise.all(
    Object.entries(CASES).map(async ([name, options], n) => {
      const run = await runCdkApp('bin/app.ts', {
        cwd: projectRoot,
        outdir: join(work, `cdk.out-${n}`),
        typescript: true,
        builtinValidation: Object.keys(options).length === 0,
        context: { ...cdkJsonContext, ...options },
      });
      return [name, run] as const;
    }),
  );
  runs = Object.fromEntries(entries) as typeof runs;
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The alias's properties in the example stack's template. */
function aliasProperties(run: CdkAppRun): Record<string, unknown> {
  const { EmailAddressAliasExampleStack: template } = stackTemplates(run.outdir);
  const [alias] = resourcesOfType(template, ALIAS_RESOURCE_TYPE);
  const { ServiceToken, ServiceTimeout, ...properties } = alias.Properties ?? {};
  return properties;
}

function expectFailure(run: CdkAppRun): void {
  expect(run.status).toBe(1);
  // The message alone, not a stack trace that would bury it.
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(() => stackTemplates(run.outdir)).toThrow();
}

test('with no option it synthesizes placeholder IDs and says so on stderr, leaving stdout to the template', () => {
  const run = runs['no option'];
  expect(run.status).toBe(0);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/placeholder IDs/);
  expect(run.stderr).toContain('-c instanceId=<instance ID or ARN> -c emailAddressId=<primary address ID or ARN>');
  expect(aliasProperties(run)).toEqual({
    InstanceId: '11111111-2222-4333-8444-555555555555',
    EmailAddressId: '66666666-7777-4888-9999-aaaaaaaaaaaa',
    AliasEmailAddressId: 'bbbbbbbb-cccc-4ddd-8eee-ffffffffffff',
  });
});

test('with some options it fails, naming each missing one in -c syntax, instead of filling in placeholders', () => {
  const run = runs['instanceId alone'];
  expectFailure(run);
  expect(run.stderr).toContain(
    'Missing emailAddressId, aliasEmailAddressId: give -c emailAddressId=<primary address ID or ARN> ' +
      '-c aliasEmailAddressId=<alias address ID or ARN>',
  );
});

test('a key close to a known one fails with the right spelling', () => {
  const run = runs['a misspelled key'];
  expectFailure(run);
  expect(run.stderr).toContain('-c instanceid= is not an option of the example app: did you mean -c instanceId=?');
});

test('with the three IDs it synthesizes them, without the placeholder notice', () => {
  const run = runs['all three IDs'];
  expect(run.status).toBe(0);
  expect(run.stderr).not.toMatch(/placeholder/);
  expect(aliasProperties(run)).toEqual({ InstanceId: INSTANCE, EmailAddressId: PRIMARY, AliasEmailAddressId: ALIAS });
});

test('with address ARNs, instanceId may be left out: the instance is read from the ARNs', () => {
  const run = runs['address ARNs without instanceId'];
  expect(run.status).toBe(0);
  expect(run.stderr).not.toMatch(/placeholder/);
  expect(aliasProperties(run)).toEqual({
    InstanceId: INSTANCE,
    EmailAddressId: emailAddressArn(PRIMARY),
    AliasEmailAddressId: emailAddressArn(ALIAS),
  });
});

test('cdk.json sets each feature flag aws-cdk-lib recommends, to its recommended value, so `cdk synth` prints no notice', () => {
  // The CLI's "N feature flags are not configured" counts the recommended flags left unset.
  const recommended = JSON.parse(readFileSync(require.resolve('aws-cdk-lib/recommended-feature-flags.json'), 'utf8'));
  const configured = Object.fromEntries(Object.keys(recommended).map((flag) => [flag, cdkJsonContext[flag]]));
  expect(configured).toEqual(recommended);
});
