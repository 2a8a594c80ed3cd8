import { Duration, Lazy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { EmailAddressAlias, EmailAddressAliasProps } from '../../lib';
import { ALIAS_RESOURCE_TYPE } from '../../lib/resource-properties';
import { aliasProps, newStack } from './stacks';

function singleAlias(settings: Partial<EmailAddressAliasProps>) {
  const stack = newStack();
  new EmailAddressAlias(stack, 'Alias', { ...aliasProps(0), ...settings });
  return stack;
}

test('custom settings reach the function, the log group and the ServiceTimeout', () => {
  const template = Template.fromStack(
    singleAlias({ timeout: Duration.minutes(5), logRetention: logs.RetentionDays.ONE_YEAR, runtime: lambda.Runtime.NODEJS_22_X }),
  );
  template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 300, Runtime: 'nodejs22.x' });
  template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  template.hasResourceProperties(ALIAS_RESOURCE_TYPE, { ServiceTimeout: '330' });
});

describe('runtime', () => {
  test.each([lambda.Runtime.NODEJS_20_X, lambda.Runtime.NODEJS_18_X, lambda.Runtime.PYTHON_3_13])(
    'rejects %s',
    (runtime) => {
      expect(() => singleAlias({ runtime })).toThrow(
        new RegExp(`runtime ${runtime.name.replace('.', '\\.')} cannot run the handler: give a Node.js runtime from nodejs22\\.x on`),
      );
    },
  );
});

describe('timeout', () => {
  test.each([Duration.millis(500), Duration.minutes(16)])('rejects %s', (timeout) => {
    expect(() => singleAlias({ timeout })).toThrow(/timeout is .*: give a Lambda timeout from 1 second to 15 minutes/);
  });

  test('rejects a token', () => {
    const timeout = Duration.seconds(Lazy.number({ produce: () => 60 }));
    expect(() => singleAlias({ timeout })).toThrow(/timeout must be a literal duration/);
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
    ['timeout', { timeout: Duration.minutes(3) }, { timeout: Duration.minutes(4) }, /timeout is 4 minutes, .* with 3 minutes/],
    ['timeout against the default', {}, { timeout: Duration.minutes(4) }, /timeout is 4 minutes, .* with 2 minutes/],
    [
      'logRetention',
      { logRetention: logs.RetentionDays.ONE_WEEK },
      { logRetention: logs.RetentionDays.ONE_YEAR },
      /logRetention is ONE_YEAR, .* with ONE_WEEK/,
    ],
    ['runtime', {}, { runtime: lambda.Runtime.NODEJS_22_X }, /runtime is nodejs22\.x, .* with nodejs24\.x/],
  ])('a different %s is an error', (_, first, second, message) => {
    expect(() => twoAliases(first, second)).toThrow(message);
    expect(() => twoAliases(first, second)).toThrow(
      /configure the one handler function shared by all aliases of a stack: give every alias the same value, or omit it/,
    );
  });

  test('the same values, or none, are fine', () => {
    const settings = { timeout: Duration.seconds(180), logRetention: logs.RetentionDays.ONE_WEEK };
    const stack = twoAliases(settings, {});
    new EmailAddressAlias(stack, 'Third', { ...aliasProps(3), timeout: Duration.minutes(3) });
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 1);
  });
});
