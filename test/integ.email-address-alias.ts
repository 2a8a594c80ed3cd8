/**
 * Integration test against a real Amazon Connect instance: two new email addresses, one made
 * the alias of the other by EmailAddressAlias, then DescribeEmailAddress on the primary must
 * list the alias. Deployed for real by `npm run integ:deploy` (see CONTRIBUTING.md); CI only
 * synthesizes it and compares with the committed snapshot (`npm run integ`).
 *
 * The instance and its email domain come from SSM parameters, resolved by CloudFormation at
 * deploy time: the test runners hand the app no context from their command line, and values
 * read from the environment would write one account's instance into the committed snapshot.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Fn, Stack } from 'aws-cdk-lib';
import { CfnEmailAddress } from 'aws-cdk-lib/aws-connect';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { EmailAddressAlias } from '../lib';

/** The SSM parameters a real run reads; create them once in the test account and region. */
const INTEG_PARAMETERS = {
  /** e.g. arn:aws:connect:us-east-1:123456789012:instance/<instance-id> */
  instanceArn: '/cdk-connect-email-address-alias/integ/instance-arn',
  /** A domain of the instance, e.g. <instance-alias>.email.connect.aws */
  emailDomain: '/cdk-connect-email-address-alias/integ/email-domain',
};

const app = new App();
const stack = new Stack(app, 'EmailAddressAliasIntegStack');

const instanceArn = ssm.StringParameter.valueForStringParameter(stack, INTEG_PARAMETERS.instanceArn);
const emailDomain = ssm.StringParameter.valueForStringParameter(stack, INTEG_PARAMETERS.emailDomain);

const primary = new CfnEmailAddress(stack, 'Primary', {
  instanceArn,
  emailAddress: `cdk-integ-primary@${emailDomain}`,
  displayName: 'cdk integ primary',
});
const alias = new CfnEmailAddress(stack, 'Alias', {
  instanceArn,
  emailAddress: `cdk-integ-alias@${emailDomain}`,
  displayName: 'cdk integ alias',
});

new EmailAddressAlias(stack, 'EmailAddressAlias', {
  instanceId: instanceArn,
  emailAddressId: primary.attrEmailAddressArn,
  aliasEmailAddressId: alias.attrEmailAddressArn,
});

// The IDs are cut out of the ARNs CloudFormation reports, independently of what the
// construct computes: ...:instance/<instance-id>/email-address/<email-address-id>.
const idInArn = (arn: string, index: number) => Fn.select(index, Fn.split('/', arn));

const integ = new IntegTest(app, 'EmailAddressAliasInteg', {
  testCases: [stack],
  // The handler bundle is part of what is tested: a new bundle must come with a new snapshot.
  diffAssets: true,
  // No earlier release to upgrade from yet; keeps the bundles out of the committed snapshot.
  stackUpdateWorkflow: false,
});

integ.assertions
  .awsApiCall('Connect', 'DescribeEmailAddress', {
    InstanceId: idInArn(instanceArn, 1),
    EmailAddressId: idInArn(primary.attrEmailAddressArn, 3),
  })
  .expect(ExpectedResult.objectLike({ AliasConfigurations: [{ EmailAddressId: idInArn(alias.attrEmailAddressArn, 3) }] }))
  // The association is made before CloudFormation hears back, but reads may lag behind writes.
  .waitForAssertions({ totalTimeout: Duration.minutes(2), interval: Duration.seconds(10) });
