#!/usr/bin/env node
/**
 * A complete example: one Amazon Connect email address forwarding its mail to another.
 *
 *   npx cdk deploy -c instanceId=<instance ID or ARN> \
 *     -c emailAddressId=<primary address ID or ARN> -c aliasEmailAddressId=<alias address ID or ARN>
 *
 * Without context it synthesizes with placeholder IDs.
 */
import { App, Stack } from 'aws-cdk-lib';
import { EmailAddressAlias } from '../lib';

export const app = new App();
const stack = new Stack(app, 'EmailAddressAliasExampleStack');

new EmailAddressAlias(stack, 'SupportAlias', {
  instanceId: app.node.tryGetContext('instanceId') ?? '11111111-2222-4333-8444-555555555555',
  emailAddressId: app.node.tryGetContext('emailAddressId') ?? '66666666-7777-4888-9999-aaaaaaaaaaaa',
  aliasEmailAddressId: app.node.tryGetContext('aliasEmailAddressId') ?? 'bbbbbbbb-cccc-4ddd-8eee-ffffffffffff',
});
