/**
 * The association one custom resource manages, normalised from CloudFormation's properties:
 * IDs and ARNs become plain IDs, so that two spellings of the same association compare equal.
 */
import {
  type ArnEnvironment,
  ConnectReferenceError,
  type NamedReference,
  describeEnvironment,
  findCommonTarget,
  parseEmailAddressReference,
  parseInstanceReference,
} from '../lib/connect-reference';
import {
  ALIAS_PROPERTY_NAMES,
  type AliasResourceAttributes,
  type AliasResourceProperties,
} from '../lib/resource-properties';

/** Mail sent to `aliasId` is forwarded to `primaryId`, both in instance `instanceId`. */
export interface AliasPair {
  readonly instanceId: string;
  readonly primaryId: string;
  readonly aliasId: string;
}

/**
 * Reads and checks the properties. Throws `ConnectReferenceError` naming the property (as the
 * template spells it) when one is missing or invalid. ARNs must point to `handlerEnvironment`,
 * the account and region the handler calls Connect in, when it is known.
 */
export function normaliseProperties(properties: unknown, handlerEnvironment?: ArnEnvironment): AliasPair {
  const values = readProperties(properties);
  const named = (propertyName: keyof AliasResourceProperties, parse: typeof parseInstanceReference): NamedReference => ({
    propertyName,
    reference: parse(values[propertyName], propertyName),
  });
  const instance = named('InstanceId', parseInstanceReference);
  const primary = named('EmailAddressId', parseEmailAddressReference);
  const alias = named('AliasEmailAddressId', parseEmailAddressReference);
  const { environment } = findCommonTarget(instance, [primary, alias]);

  if (primary.reference.id === alias.reference.id) {
    throw new ConnectReferenceError(
      `EmailAddressId and AliasEmailAddressId both name email address "${primary.reference.id}": ` +
        'an address cannot be its own alias; make AliasEmailAddressId another address of the instance.',
    );
  }
  if (environment && handlerEnvironment && describeEnvironment(environment) !== describeEnvironment(handlerEnvironment)) {
    throw new ConnectReferenceError(
      `The ARNs point to ${describeEnvironment(environment)}, but the handler calls Amazon Connect in ` +
        `${describeEnvironment(handlerEnvironment)}: declare the alias in a stack deployed where the instance is.`,
    );
  }
  return { instanceId: instance.reference.id, primaryId: primary.reference.id, aliasId: alias.reference.id };
}

/** Partition, region and account of a Lambda function ARN (`context.invokedFunctionArn`). */
export function lambdaEnvironment(functionArn: string): ArnEnvironment | undefined {
  const match = /^arn:([^:]+):lambda:([^:]+):(\d{12}):function:/.exec(functionArn);
  return match ? { partition: match[1], region: match[2], account: match[3] } : undefined;
}

export function samePair(a: AliasPair, b: AliasPair): boolean {
  return a.instanceId === b.instanceId && a.primaryId === b.primaryId && a.aliasId === b.aliasId;
}

/**
 * Whether two spellings name one email address, as Connect may echo it: an ID in another letter
 * case (Connect's IDs are UUIDs, whose case carries no meaning), or the address's ARN.
 */
export function sameEmailAddress(a: string, b: string): boolean {
  return emailAddressKey(a) === emailAddressKey(b);
}

function emailAddressKey(reference: string): string {
  const marker = '/email-address/';
  const at = reference.startsWith('arn:') ? reference.lastIndexOf(marker) : -1;
  return (at < 0 ? reference : reference.slice(at + marker.length)).toLowerCase();
}

/** The resource's `Fn::GetAtt` attributes. */
export function attributesOf(pair: AliasPair): AliasResourceAttributes {
  return { InstanceId: pair.instanceId, EmailAddressId: pair.primaryId, AliasEmailAddressId: pair.aliasId };
}

/** "instance i, primary p, alias a", for messages. */
export function describePair(pair: AliasPair): string {
  return `instance ${pair.instanceId}, primary ${pair.primaryId}, alias ${pair.aliasId}`;
}

function readProperties(properties: unknown): AliasResourceProperties {
  const record = (typeof properties === 'object' && properties !== null ? properties : {}) as Record<string, unknown>;
  for (const name of ALIAS_PROPERTY_NAMES) {
    const value = record[name];
    if (value === undefined || value === null) {
      throw new ConnectReferenceError(`Property ${name} is missing: give an ID or an ARN.`);
    }
    if (typeof value !== 'string') {
      throw new ConnectReferenceError(`Property ${name} must be a string (an ID or an ARN), got ${JSON.stringify(value)}.`);
    }
  }
  return record as unknown as AliasResourceProperties;
}
