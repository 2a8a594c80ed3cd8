/**
 * The contract between the construct (which writes these properties into the template)
 * and the handler (which reads them from CloudFormation's event). Both import this file,
 * so the two sides cannot drift apart. Keep it free of aws-cdk-lib imports: it is bundled
 * into the Lambda handler.
 */

/** The custom resource type written into the template. */
export const ALIAS_RESOURCE_TYPE = 'Custom::ConnectEmailAddressAlias';

/**
 * The custom resource's properties, as CloudFormation delivers them to the handler.
 *
 * Each value is an ID or an ARN, exactly as the user declared it (tokens resolved by
 * CloudFormation); the handler normalises them. The set is minimal and must stay stable:
 * adding a property would send an Update to every deployed alias.
 */
export interface AliasResourceProperties {
  /** The Amazon Connect instance: ID or instance ARN. */
  readonly InstanceId: string;
  /** The primary email address, which receives the mail: ID or ARN. */
  readonly EmailAddressId: string;
  /** The alias email address, whose mail is forwarded to the primary: ID or ARN. */
  readonly AliasEmailAddressId: string;
}

/** The property names, for code that must visit each one (validation, normalisation). */
export const ALIAS_PROPERTY_NAMES: ReadonlyArray<keyof AliasResourceProperties> = [
  'InstanceId',
  'EmailAddressId',
  'AliasEmailAddressId',
];

/**
 * The `Data` the handler returns, readable with `Fn::GetAtt`: the same three values,
 * normalised to plain IDs.
 */
export type AliasResourceAttributes = { [K in keyof AliasResourceProperties]: string };
