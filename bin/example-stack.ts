import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EmailAddressAlias, EmailAddressAliasProps } from '../lib';

export interface EmailAddressAliasExampleStackProps extends StackProps {
  /** The alias the stack holds. */
  readonly alias: EmailAddressAliasProps;
}

/** The example app's stack: one Amazon Connect email address forwarding its mail to another. */
export class EmailAddressAliasExampleStack extends Stack {
  constructor(scope: Construct, id: string, props: EmailAddressAliasExampleStackProps) {
    super(scope, id, props);
    new EmailAddressAlias(this, 'SupportAlias', props.alias);
  }
}
