import { ConnectReferenceError } from '../../lib/connect-reference';
import { lambdaEnvironment, normaliseProperties, samePair } from '../../lambda/alias-pair';

const INSTANCE = 'a1b2c3d4-0000-4000-8000-00000000c0de';
const HERE = { partition: 'aws', region: 'us-east-1', account: '123456789012' };
const instanceArn = `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE}`;
const addressArn = (id: string, instance = instanceArn) => `${instance}/email-address/${id}`;

describe('normaliseProperties', () => {
  test('IDs and ARNs of the same association normalise to the same pair', () => {
    const fromIds = normaliseProperties({ InstanceId: INSTANCE, EmailAddressId: 'p', AliasEmailAddressId: 'a' }, HERE);
    const fromArns = normaliseProperties(
      { InstanceId: instanceArn, EmailAddressId: addressArn('p'), AliasEmailAddressId: addressArn('a') },
      HERE,
    );

    expect(fromIds).toEqual({ instanceId: INSTANCE, primaryId: 'p', aliasId: 'a' });
    expect(samePair(fromIds, fromArns)).toBe(true);
  });

  test('the instance comes from InstanceId, and the address ARNs must agree with it', () => {
    expect(() =>
      normaliseProperties({ InstanceId: 'other-instance', EmailAddressId: addressArn('p'), AliasEmailAddressId: 'a' }, HERE),
    ).toThrow(/EmailAddressId names instance "a1b2c3d4-.*" but InstanceId names instance "other-instance"/);
  });

  test('ignores CloudFormation\'s ServiceToken and other extra properties', () => {
    expect(
      normaliseProperties({ ServiceToken: 'arn:aws:lambda:...', InstanceId: INSTANCE, EmailAddressId: 'p', AliasEmailAddressId: 'a' }),
    ).toEqual({ instanceId: INSTANCE, primaryId: 'p', aliasId: 'a' });
  });

  test.each([
    ['no properties at all', undefined, /InstanceId is missing/],
    ['an empty ID', { InstanceId: ' ', EmailAddressId: 'p', AliasEmailAddressId: 'a' }, /InstanceId is empty/],
    ['an instance ARN as an address', { InstanceId: INSTANCE, EmailAddressId: instanceArn, AliasEmailAddressId: 'a' }, /EmailAddressId is an instance ARN/],
    ['an account the function is not in', { InstanceId: INSTANCE.replace('a1', 'b2'), EmailAddressId: 'p', AliasEmailAddressId: addressArn('a', `arn:aws:connect:us-east-1:210987654321:instance/${INSTANCE.replace('a1', 'b2')}`) }, /account 210987654321.*account 123456789012/],
  ])('rejects %s with a message naming the property', (_, properties, message) => {
    const attempt = () => normaliseProperties(properties, HERE);
    expect(attempt).toThrow(ConnectReferenceError);
    expect(attempt).toThrow(message);
  });
});

describe('lambdaEnvironment', () => {
  test('reads partition, region and account from the function ARN, qualified or not', () => {
    expect(lambdaEnvironment('arn:aws:lambda:us-east-1:123456789012:function:handler')).toEqual(HERE);
    expect(lambdaEnvironment('arn:aws-cn:lambda:cn-north-1:123456789012:function:handler:live')).toEqual({
      partition: 'aws-cn',
      region: 'cn-north-1',
      account: '123456789012',
    });
  });

  test('is unknown for anything else, which skips the check rather than failing', () => {
    expect(lambdaEnvironment('')).toBeUndefined();
  });
});
