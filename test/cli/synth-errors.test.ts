import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandResult, tryCommand } from '../../scripts/run-command';
import { assertBuildIsFresh } from '../package/pack';

// What a user sees when `cdk synth` fails on the construct: the CDK CLI, run on a small app that
// imports the built package by its name, once with an error in one alias's props and once with
// two aliases that break a rule together. Both must read alike, in the form the README promises.
const projectRoot = join(__dirname, '..', '..');

const APP_SOURCE = `const { App, Stack } = require('aws-cdk-lib');
const { EmailAddressAlias } = require('cdk-connect-email-address-alias');

const app = new App();
const stack = new Stack(app, 'MyStack');
const instanceId = '11111111-2222-4333-8444-555555555555';
if (process.argv[2] === 'props') {
  new EmailAddressAlias(stack, 'HelpAlias', { instanceId, emailAddressId: 'support@example.com', aliasEmailAddressId: 'help' });
} else {
  new EmailAddressAlias(stack, 'SupportAlias', { instanceId, emailAddressId: 'support', aliasEmailAddressId: 'sales' });
  new EmailAddressAlias(stack, 'HelpAlias', { instanceId, emailAddressId: 'help', aliasEmailAddressId: 'sales' });
}
`;

let work: string;
let runs: Record<'props' | 'stack', CommandResult>;

beforeAll(() => {
  assertBuildIsFresh(projectRoot);
  work = mkdtempSync(join(tmpdir(), 'alias-cli-'));
  const nodeModules = join(work, 'node_modules');
  mkdirSync(nodeModules);
  symlinkSync(projectRoot, join(nodeModules, 'cdk-connect-email-address-alias'), 'junction');
  for (const name of ['aws-cdk-lib', 'constructs']) symlinkSync(join(projectRoot, 'node_modules', name), join(nodeModules, name), 'junction');
  writeFileSync(join(work, 'app.js'), APP_SOURCE);

  const synth = (kind: string) =>
    tryCommand(process.execPath, [require.resolve('aws-cdk/bin/cdk'), 'synth', '--app', `node app.js ${kind}`, '--output', `cdk.out-${kind}`, '--no-notices'], {
      cwd: work,
      // Nothing leaves the machine: no version check, no telemetry.
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: 'true' },
      timeoutMs: 120_000,
    });
  runs = { props: synth('props'), stack: synth('stack') };
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The line Node.js prints for the uncaught error: its class, then its message. */
function errorLine(run: CommandResult): string {
  return run.stderr.split('\n').find((line) => /^\w*Error: /.test(line)) ?? `(no error line in:\n${run.stderr})`;
}

test("an error in one alias's props fails `cdk synth`, starting with the alias's path", () => {
  expect(runs.props.status).not.toBe(0);
  expect(errorLine(runs.props)).toMatch(/^\w*Error: EmailAddressAlias MyStack\/HelpAlias: emailAddressId \("support@example\.com"\) is an email address, not an ID/);
});

test("an error of the stack's aliases together reads the same, about the alias declared second", () => {
  expect(runs.stack.status).not.toBe(0);
  expect(errorLine(runs.stack)).toMatch(
    /^\w*Error: EmailAddressAlias MyStack\/HelpAlias: MyStack\/SupportAlias makes sales forward to support, and MyStack\/HelpAlias to help: an address forwards to one primary at most/,
  );
  // Not aws-cdk-lib's validation report, which prints a line of its minified source first.
  expect(runs.stack.stderr).not.toMatch(/Validation failed/);
});

test('both point at a line of the package, not of aws-cdk-lib', () => {
  const shownSource = (run: CommandResult) => run.stderr.split('\n')[0];
  expect(shownSource(runs.props).startsWith(join(projectRoot, 'dist'))).toBe(true);
  expect(shownSource(runs.stack).startsWith(join(projectRoot, 'dist'))).toBe(true);
});
