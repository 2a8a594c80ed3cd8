#!/usr/bin/env node
/**
 * A complete example: one Amazon Connect email address forwarding its mail to another.
 *
 *   npx cdk deploy -c instanceId=<instance ID or ARN> \
 *     -c emailAddressId=<primary address ID or ARN> -c aliasEmailAddressId=<alias address ID or ARN>
 *
 * With address ARNs, instanceId may be left out. With no option at all it synthesizes
 * placeholder IDs, and says so on stderr.
 */
import { App } from 'aws-cdk-lib';
import { ConnectReferenceError } from '../lib/connect-reference';
import { CONTEXT_USAGE, ExampleContextError, readExampleContext } from './example-context';
import { EmailAddressAliasExampleStack } from './example-stack';

const STACK_NAME = 'EmailAddressAliasExampleStack';

const app = new App();
try {
  const { aliasProps, placeholders } = readExampleContext(app.node.getAllContext());
  if (placeholders) {
    console.error(
      `${STACK_NAME} holds placeholder IDs, which name no real address: fine for a look at the template, ` +
        `not for a deploy. To deploy, give ${CONTEXT_USAGE}.`,
    );
  }
  new EmailAddressAliasExampleStack(app, STACK_NAME, { alias: aliasProps });
} catch (error) {
  // A mistake in the options: its message says what to give, a stack trace would only hide it.
  if (!(error instanceof ExampleContextError || error instanceof ConnectReferenceError)) throw error;
  console.error(error.message);
  process.exit(1);
}
