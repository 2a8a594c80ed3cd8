import { Duration, Lazy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { EmailAddressAlias, EmailAddressAliasProps } from '../../lib';
import { ALIAS_RESOURCE_TYPE } from '../../lib/resource-properties';
import { aliasProps, newStack, newestNodejsRuntimeName } from './stacks';

function singleAlias(settings: Partial<EmailAddressAliasProps>) {
  const stack = newStack();
  new EmailAddressAlias(stack, 'Alias', { ...aliasProps(0), ...settings });
  return stack;
}

/** A stack of `count` aliases, the settings given to the one at `index` only. */
function aliasesWith(count: number, settings: Partial<EmailAddressAliasProps>, index = 0) {
  const stack = newStack();
  for (let n = 0; n < count; n++) {
    new EmailAddressAlias(stack, `Alias${n}`, { ...aliasProps(n), ...(n === index ? settings : {}) });
  }
  return stack;
}

test('custom settings reach the function, the log group and the ServiceTimeout', () => {
  const template = Template.fromStack(
    singleAlias({
      timeout: Duration.minutes(5),
      logRetention: logs.RetentionDays.ONE_YEAR,
      runtime: lambda.Runtime.NODEJS_22_X,
      connectRequestsPerSecond: 1,
    }),
  );
  template.hasResourceProperties('AWS::Lambda::Function', {
    Timeout: 300,
    Runtime: 'nodejs22.x',
    Environment: { Variables: { CONNECT_REQUESTS_PER_SECOND: '1' } },
  });
  template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  // 3 calls at half of 1 request/s, then the 5-minute timeout: 306 s, in whole minutes.
  template.hasResourceProperties(ALIAS_RESOURCE_TYPE, { ServiceTimeout: '360' });
});

test('logs kept forever: no retention written, as LogGroup does', () => {
  const template = Template.fromStack(singleAlias({ logRetention: logs.RetentionDays.INFINITE }));
  expect(Object.values(template.findResources('AWS::Logs::LogGroup'))[0].Properties?.RetentionInDays).toBeUndefined();
});

describe('runtime', () => {
  test.each([lambda.Runtime.NODEJS_20_X, lambda.Runtime.NODEJS_18_X, lambda.Runtime.PYTHON_3_13])(
    'rejects %s, naming the alias and the default',
    (runtime) => {
      expect(() => singleAlias({ runtime })).toThrow(
        new RegExp(
          `^EmailAddressAlias TestStack/Alias: runtime ${runtime.name.replace('.', '\\.')} cannot run the handler: give a Node.js runtime from nodejs22\\.x on, ` +
            `or omit runtime to get the newest your aws-cdk-lib defines \\(${newestNodejsRuntimeName().replace('.', '\\.')}\\)`,
        ),
      );
    },
  );

  test('by default, the newest Node.js runtime of the app\'s aws-cdk-lib, which cdk-nag\'s AwsSolutions-L1 asks for', () => {
    Template.fromStack(singleAlias({})).hasResourceProperties('AWS::Lambda::Function', { Runtime: newestNodejsRuntimeName() });
  });

  test('by default, a Node.js runtime that a later aws-cdk-lib adds, without a release of this library', () => {
    // What a later aws-cdk-lib does: one more static member of Runtime.
    const later = new lambda.Runtime('nodejs98.x', lambda.RuntimeFamily.NODEJS);
    Object.defineProperty(lambda.Runtime, 'NODEJS_98_X', { value: later, configurable: true });
    try {
      Template.fromStack(singleAlias({})).hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs98.x' });
    } finally {
      delete (lambda.Runtime as unknown as Record<string, unknown>).NODEJS_98_X;
      lambda.Runtime.ALL.splice(lambda.Runtime.ALL.indexOf(later), 1);
    }
  });
});

describe('timeout', () => {
  test.each([Duration.millis(500), Duration.seconds(29), Duration.minutes(16)])('rejects %s', (timeout) => {
    expect(() => singleAlias({ timeout })).toThrow(/timeout is .*: give a Lambda timeout from 30 seconds to 15 minutes/);
  });

  test('rejects a token', () => {
    const timeout = Duration.seconds(Lazy.number({ produce: () => 60 }));
    expect(() => singleAlias({ timeout })).toThrow(/timeout must be a literal duration/);
  });

  test('is one request\'s work, whatever the number of aliases: the queue holds the rest', () => {
    for (const count of [1, 300]) {
      Template.fromStack(aliasesWith(count, {})).hasResourceProperties('AWS::Lambda::Function', { Timeout: 120 });
    }
  });
});

describe('ServiceTimeout', () => {
  test.each<[number, number, number]>([
    // aliases, requests per second, minutes: the last request leaves the queue once the others
    // were served at half the rate, then works for up to the 2-minute timeout.
    [1, 2, 3],
    [36, 2, 4],
    [300, 2, 17],
    [488, 2, 27],
    [300, 4, 10],
    [100, 1, 12],
  ])('is sized for %i aliases at %i requests/s: %i minutes', (count, connectRequestsPerSecond, minutes) => {
    const template = Template.fromStack(aliasesWith(count, { connectRequestsPerSecond }));
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { CONNECT_REQUESTS_PER_SECOND: String(connectRequestsPerSecond) } },
    });
    template.hasResourceProperties(ALIAS_RESOURCE_TYPE, { ServiceTimeout: String(minutes * 60) });
    // The queue keeps no request past the time CloudFormation waits for it.
    template.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: minutes * 60 });
  });

  test("more aliases than CloudFormation's hour allows at the rate is an error naming the stack and the way out", () => {
    expect(() => Template.fromStack(aliasesWith(300, { connectRequestsPerSecond: 0.5 }))).toThrow(
      /^EmailAddressAlias TestStack: 300 aliases at 0\.5 Connect requests per second need CloudFormation to wait up to .* for the last of them .*, more than its limit of 1 hour for a custom resource: declare fewer aliases per stack, or raise connectRequestsPerSecond/,
    );
  });
});

describe('connectRequestsPerSecond', () => {
  test.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects %s', (connectRequestsPerSecond) => {
    expect(() => singleAlias({ connectRequestsPerSecond })).toThrow(/connectRequestsPerSecond is .*: give a literal number of requests per second above 0/);
  });
});

describe('settings shared by the aliases of a stack', () => {
  function twoAliases(first: Partial<EmailAddressAliasProps>, second: Partial<EmailAddressAliasProps>) {
    const stack = newStack();
    new EmailAddressAlias(stack, 'First', { ...aliasProps(1), ...first });
    new EmailAddressAlias(stack, 'Second', { ...aliasProps(2), ...second });
    return stack;
  }

  test.each<[string, Partial<EmailAddressAliasProps>, Partial<EmailAddressAliasProps>, RegExp]>([
    ['timeout', { timeout: Duration.minutes(3) }, { timeout: Duration.minutes(4) }, /timeout is 4 minutes at TestStack\/Second, but 3 minutes at TestStack\/First/],
    [
      'logRetention',
      { logRetention: logs.RetentionDays.ONE_WEEK },
      { logRetention: logs.RetentionDays.ONE_YEAR },
      /logRetention is ONE_YEAR at TestStack\/Second, but ONE_WEEK at TestStack\/First/,
    ],
    ['runtime', { runtime: lambda.Runtime.NODEJS_24_X }, { runtime: lambda.Runtime.NODEJS_22_X }, /runtime is nodejs22\.x at TestStack\/Second, but nodejs24\.x/],
    ['connectRequestsPerSecond', { connectRequestsPerSecond: 1 }, { connectRequestsPerSecond: 2 }, /connectRequestsPerSecond is 2 at TestStack\/Second, but 1/],
  ])('a different %s is an error at synthesis, naming both aliases', (_, first, second, message) => {
    const stack = twoAliases(first, second);
    expect(() => Template.fromStack(stack)).toThrow(message);
    expect(() => Template.fromStack(twoAliases(first, second))).toThrow(
      /configure the one handler function shared by all aliases of a stack: give every alias the same value, or omit it/,
    );
  });

  test.each([
    ['before', 0],
    ['after', 1],
  ])('an alias that omits a setting %s one that sets it takes that value', (_, index) => {
    const template = Template.fromStack(aliasesWith(2, { timeout: Duration.minutes(4), logRetention: logs.RetentionDays.ONE_WEEK }, index));
    template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 240 });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  test('the same values, or none, are fine', () => {
    const settings = { timeout: Duration.seconds(180), logRetention: logs.RetentionDays.ONE_WEEK };
    const stack = twoAliases(settings, {});
    new EmailAddressAlias(stack, 'Third', { ...aliasProps(3), timeout: Duration.minutes(3) });
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 1);
  });
});
