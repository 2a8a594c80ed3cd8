import { Fn } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EmailAddressAlias, EmailAddressAliasProps } from '../../lib';
import { INSTANCE_ID, aliasProps, newStack } from './stacks';

/** Synthesizes a stack with one alias per entry, named A, B, C… */
function synthesize(...aliases: EmailAddressAliasProps[]) {
  const stack = newStack();
  aliases.forEach((props, n) => new EmailAddressAlias(stack, String.fromCharCode(65 + n), props));
  return () => Template.fromStack(stack);
}

const pair = (emailAddressId: string, aliasEmailAddressId: string): EmailAddressAliasProps => ({
  instanceId: INSTANCE_ID,
  emailAddressId,
  aliasEmailAddressId,
});

describe('rules Amazon Connect would enforce at deploy time are errors at synthesis, naming both aliases', () => {
  test.each<[string, EmailAddressAliasProps[], RegExp]>([
    ['the same pair twice', [pair('support', 'sales'), pair('support', 'sales')], /TestStack\/A and TestStack\/B both make sales an alias of support: declare each association once/],
    [
      'the same pair, once as an ARN',
      [pair('support', 'sales'), pair(`arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}/email-address/support`, 'sales')],
      /TestStack\/A and TestStack\/B both make sales an alias of/,
    ],
    ['one alias for two primaries', [pair('support', 'sales'), pair('billing', 'sales')], /TestStack\/A makes sales forward to support, and TestStack\/B to billing: an address forwards to one primary at most/],
    ['one primary with two aliases', [pair('support', 'sales'), pair('support', 'help')], /TestStack\/A gives support the alias sales, and TestStack\/B the alias help: an address has at most one alias/],
    ['an alias that is itself a primary', [pair('support', 'sales'), pair('sales', 'help')], /TestStack\/A makes sales an alias, and TestStack\/B gives it the alias help: aliases do not chain; make help forward to support directly/],
    ['a chain declared the other way round', [pair('sales', 'help'), pair('support', 'sales')], /TestStack\/B makes sales an alias, and TestStack\/A gives it the alias help: aliases do not chain/],
    ['the same ID in another letter case', [pair('support', 'sales'), pair('billing', 'SALES')], /TestStack\/A names "sales" and TestStack\/B names "SALES": the same ID in another letter case/],
    ['the same token twice', [pair(Fn.importValue('Support'), 'sales'), pair(Fn.importValue('Support'), 'help')], /an address has at most one alias/],
  ])('%s', (_, aliases, message) => {
    expect(synthesize(...aliases)).toThrow(message);
    // In the form of the errors about one alias's props: the alias declared second's.
    expect(synthesize(...aliases)).toThrow(/^EmailAddressAlias TestStack\/B: /);
  });

  test('distinct pairs, and distinct tokens, are fine', () => {
    expect(synthesize(pair('support', 'sales'), pair('billing', 'help'), pair(Fn.importValue('A'), 'x'), pair(Fn.importValue('B'), 'y'))).not.toThrow();
  });
});

test('an email address where an ID belongs is an error naming the alias, the property and where to find the ID', () => {
  expect(() => new EmailAddressAlias(newStack(), 'Help', pair('support@example.com', 'sales'))).toThrow(
    /^EmailAddressAlias TestStack\/Help: emailAddressId \("support@example\.com"\) is an email address, not an ID: give the ID \(or ARN\) that Amazon Connect assigned to it, as DescribeEmailAddress or SearchEmailAddresses show it/,
  );
});

describe("the role's inline-policy limit", () => {
  function instances(count: number) {
    const stack = newStack();
    for (let n = 0; n < count; n++) {
      new EmailAddressAlias(stack, `Alias${n}`, aliasProps(n, `${String(n).padStart(8, '0')}-2222-4333-8444-555555555555`));
    }
    return () => Template.fromStack(stack);
  }

  test('is checked at synthesis, before CloudFormation would refuse the role', () => {
    expect(instances(20)).not.toThrow();
    expect(instances(40)).toThrow(/^EmailAddressAlias TestStack: The handler role's inline policies would take up to \d+ characters, over IAM's limit of 10240 for one role: the stack's aliases name 40 Amazon Connect instances/);
  });
});
