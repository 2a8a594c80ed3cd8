import { Fn, Lazy, RemovalPolicy, StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EmailAddressAlias, EmailAddressAliasProps } from '../../lib';
import { ConnectReferenceError } from '../../lib/connect-reference';
import { ALIAS_RESOURCE_TYPE } from '../../lib/resource-properties';
import { ALIAS_ID, INSTANCE_ID, OTHER_INSTANCE_ID, PRIMARY_ID, emailAddressArn, newStack, policyStatements } from './stacks';

const US_EAST_1: StackProps = { env: { account: '123456789012', region: 'us-east-1' } };

function expectReferenceError(create: () => unknown, message: RegExp): void {
  expect(create).toThrow(ConnectReferenceError);
  expect(create).toThrow(message);
}

function aliasIn(props: EmailAddressAliasProps, stackProps?: StackProps) {
  return () => new EmailAddressAlias(newStack(stackProps), 'Alias', props);
}

describe('rejects at synthesis, naming the property', () => {
  test.each<[string, EmailAddressAliasProps, RegExp]>([
    [
      'the same ID twice',
      { instanceId: INSTANCE_ID, emailAddressId: PRIMARY_ID, aliasEmailAddressId: PRIMARY_ID },
      /emailAddressId .* and aliasEmailAddressId .* name the same email address/,
    ],
    [
      'an ID and the ARN of the same address',
      { instanceId: INSTANCE_ID, emailAddressId: PRIMARY_ID, aliasEmailAddressId: emailAddressArn(PRIMARY_ID) },
      /name the same email address/,
    ],
    [
      'the same token twice',
      { instanceId: INSTANCE_ID, emailAddressId: Fn.importValue('Primary'), aliasEmailAddressId: Fn.importValue('Primary') },
      /name the same email address/,
    ],
    [
      'ARNs of different instances',
      { emailAddressId: emailAddressArn(PRIMARY_ID), aliasEmailAddressId: emailAddressArn(ALIAS_ID, OTHER_INSTANCE_ID) },
      /aliasEmailAddressId names instance "9999.*" but emailAddressId names instance "1111.*same Amazon Connect instance/,
    ],
    [
      'ARNs of different regions',
      {
        emailAddressId: emailAddressArn(PRIMARY_ID),
        aliasEmailAddressId: emailAddressArn(ALIAS_ID).replace('us-east-1', 'eu-west-2'),
      },
      /aliasEmailAddressId is in account 123456789012, region eu-west-2 .* but emailAddressId is in .*region us-east-1/,
    ],
    [
      'ARNs of different accounts',
      {
        emailAddressId: emailAddressArn(PRIMARY_ID).replace('123456789012', '210987654321'),
        aliasEmailAddressId: emailAddressArn(ALIAS_ID),
      },
      /aliasEmailAddressId is in account 123456789012.* but emailAddressId is in account 210987654321/,
    ],
    [
      'a malformed ARN',
      { instanceId: INSTANCE_ID, emailAddressId: 'arn:aws:connect:us-east-1:123:instance/x/email-address/y', aliasEmailAddressId: ALIAS_ID },
      /emailAddressId is not a valid Amazon Connect ARN/,
    ],
    [
      'an instance ARN for an address',
      { instanceId: INSTANCE_ID, emailAddressId: PRIMARY_ID, aliasEmailAddressId: `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}` },
      /aliasEmailAddressId is an instance ARN/,
    ],
    [
      'an address ARN for the instance',
      { instanceId: emailAddressArn(PRIMARY_ID), emailAddressId: PRIMARY_ID, aliasEmailAddressId: ALIAS_ID },
      /instanceId is an email-address ARN/,
    ],
    [
      'no instance, with plain IDs',
      { emailAddressId: PRIMARY_ID, aliasEmailAddressId: ALIAS_ID },
      /instanceId is required when neither emailAddressId nor aliasEmailAddressId is a literal ARN/,
    ],
    [
      'no instance, with tokens',
      { emailAddressId: Fn.importValue('Primary'), aliasEmailAddressId: Fn.importValue('Alias') },
      /instanceId is required/,
    ],
    ['an empty instanceId', { instanceId: '', emailAddressId: PRIMARY_ID, aliasEmailAddressId: ALIAS_ID }, /instanceId is empty/],
    ['a blank emailAddressId', { instanceId: INSTANCE_ID, emailAddressId: '  ', aliasEmailAddressId: ALIAS_ID }, /emailAddressId is empty/],
    ['an empty aliasEmailAddressId', { instanceId: INSTANCE_ID, emailAddressId: PRIMARY_ID, aliasEmailAddressId: '' }, /aliasEmailAddressId is empty/],
    [
      'an ID with whitespace',
      { instanceId: INSTANCE_ID, emailAddressId: `${PRIMARY_ID} `, aliasEmailAddressId: ALIAS_ID },
      /emailAddressId .* contains whitespace/,
    ],
    [
      "an instanceId that disagrees with an ARN's instance",
      { instanceId: OTHER_INSTANCE_ID, emailAddressId: emailAddressArn(PRIMARY_ID), aliasEmailAddressId: ALIAS_ID },
      /emailAddressId names instance "1111.*" but instanceId names instance "9999.*"/,
    ],
  ])('%s', (_, props, message) => {
    expectReferenceError(aliasIn(props), message);
  });

  test.each<[string, EmailAddressAliasProps, RegExp, StackProps]>([
    [
      "an ARN of another region than the stack's",
      { instanceId: INSTANCE_ID, emailAddressId: PRIMARY_ID, aliasEmailAddressId: emailAddressArn(ALIAS_ID) },
      /aliasEmailAddressId points to region us-east-1 instead of the stack's eu-west-2: .*stack's own account and region/,
      { env: { account: '123456789012', region: 'eu-west-2' } },
    ],
    [
      "an ARN of another account than the stack's",
      { instanceId: `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}`, emailAddressId: PRIMARY_ID, aliasEmailAddressId: ALIAS_ID },
      /instanceId points to account 123456789012 instead of the stack's 111111111111/,
      { env: { account: '111111111111', region: 'us-east-1' } },
    ],
  ])('%s', (_, props, message, stackProps) => {
    expectReferenceError(aliasIn(props, stackProps), message);
  });

  test.each<[string, EmailAddressAliasProps, RegExp]>([
    [
      'a shortened placeholder ID, pasted as it is',
      { instanceId: 'abcd1234-…', emailAddressId: PRIMARY_ID, aliasEmailAddressId: ALIAS_ID },
      /^EmailAddressAlias TestStack\/Alias: instanceId \("abcd1234-…"\) contains "…" \(U\+2026\), which no Amazon Connect ID has: give the whole ID as Amazon Connect shows it/,
    ],
    [
      'an ARN with shortened IDs, pasted as it is',
      {
        emailAddressId: 'arn:aws:connect:eu-west-2:123456789012:instance/1111…/email-address/6666…',
        aliasEmailAddressId: 'arn:aws:connect:eu-west-2:123456789012:instance/1111…/email-address/bbbb…',
      },
      /emailAddressId \("arn:aws:connect:eu-west-2:123456789012:instance\/1111…\/email-address\/6666…"\) contains "…" \(U\+2026\)/,
    ],
    [
      'a space inside an ARN',
      { instanceId: `arn:aws:connect:us-east-1:123456789012:instance/1111 2222`, emailAddressId: PRIMARY_ID, aliasEmailAddressId: ALIAS_ID },
      /instanceId \(".*"\) contains " " \(U\+0020\), which no Amazon Connect ID has/,
    ],
    [
      'a non-ASCII letter',
      { instanceId: INSTANCE_ID, emailAddressId: PRIMARY_ID, aliasEmailAddressId: 'alias-é' },
      /aliasEmailAddressId \("alias-é"\) contains "é" \(U\+00E9\)/,
    ],
  ])('%s: a character no Connect ID has', (_, props, message) => {
    expectReferenceError(aliasIn(props), message);
  });

  test('RemovalPolicy.SNAPSHOT', () => {
    expect(aliasIn({ instanceId: INSTANCE_ID, emailAddressId: PRIMARY_ID, aliasEmailAddressId: ALIAS_ID, removalPolicy: RemovalPolicy.SNAPSHOT })).toThrow(
      /removalPolicy cannot be SNAPSHOT/,
    );
  });
});

describe('accepts', () => {
  test("ARNs of the stack's own account and region", () => {
    expect(aliasIn({ emailAddressId: emailAddressArn(PRIMARY_ID), aliasEmailAddressId: emailAddressArn(ALIAS_ID) }, US_EAST_1)).not.toThrow();
  });

  test('tokens, whatever they resolve to: Amazon Connect judges the resolved values at deploy', () => {
    expect(aliasIn({ instanceId: INSTANCE_ID, emailAddressId: Lazy.string({ produce: () => 'primary-…' }), aliasEmailAddressId: ALIAS_ID })).not.toThrow();
  });

  test('ARNs of any region in an environment-agnostic stack', () => {
    const arn = emailAddressArn(ALIAS_ID).replace('us-east-1', 'eu-west-2');
    expect(aliasIn({ instanceId: INSTANCE_ID, emailAddressId: PRIMARY_ID, aliasEmailAddressId: arn })).not.toThrow();
  });

  test('tokens unchecked, the instance cut out of a token instanceId in CloudFormation', () => {
    const stack = newStack();
    new EmailAddressAlias(stack, 'Alias', {
      instanceId: Fn.importValue('Instance'),
      emailAddressId: Fn.importValue('Primary'),
      aliasEmailAddressId: Fn.importValue('Alias'),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(ALIAS_RESOURCE_TYPE, {
      InstanceId: { 'Fn::ImportValue': 'Instance' },
      EmailAddressId: { 'Fn::ImportValue': 'Primary' },
      AliasEmailAddressId: { 'Fn::ImportValue': 'Alias' },
    });
    const [[{ Resource: resource }]] = Object.values(policyStatements(template));
    const instanceIdFor = (imported: string) => evaluate(resource, { Instance: imported });
    expect(instanceIdFor(INSTANCE_ID)).toBe(`arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}/email-address/*`);
    expect(instanceIdFor(`arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}`)).toBe(
      `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}/email-address/*`,
    );
  });
});

/** Evaluates the intrinsics the statement's resource uses, as CloudFormation would in us-east-1. */
function evaluate(node: any, imports: Record<string, string>): any {
  if (typeof node === 'string') {
    return node;
  }
  const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': 'us-east-1', 'AWS::AccountId': '123456789012' };
  const [name, args] = Object.entries(node)[0] as [string, any];
  switch (name) {
    case 'Ref':
      return pseudo[args];
    case 'Fn::ImportValue':
      return imports[args];
    case 'Fn::Join':
      return args[1].map((item: any) => evaluate(item, imports)).join(args[0]);
    case 'Fn::Split':
      return evaluate(args[1], imports).split(args[0]);
    case 'Fn::Select':
      return evaluate(args[1], imports)[args[0]];
    default:
      throw new Error(`not evaluated: ${name}`);
  }
}
