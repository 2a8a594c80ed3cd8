/**
 * Parsing and cross-checking of Amazon Connect instance and email-address references
 * (plain IDs or ARNs). Shared by the construct (synth-time validation) and the handler
 * (normalisation of CloudFormation's event), so both accept exactly the same inputs.
 * Free of aws-cdk-lib imports: it is bundled into the Lambda handler.
 */

/** Where an ARN points: the handler can only reach Connect in its own account and region. */
export interface ArnEnvironment {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/** One reference, parsed. */
export interface ConnectReference {
  /** The plain ID (of the instance, or of the email address). */
  readonly id: string;
  /** Set when the reference was given as an ARN. */
  readonly arn?: ArnEnvironment & {
    /** The instance the ARN belongs to. */
    readonly instanceId: string;
  };
}

/** A reference that cannot be used; the message names the property and the fix. */
export class ConnectReferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectReferenceError';
  }
}

// Service limits on the path labels (Amazon Connect API reference).
const MAX_INSTANCE_ID_LENGTH = 100;
const MAX_EMAIL_ADDRESS_ID_LENGTH = 500;

const ARN_PATTERN =
  /^arn:(aws[a-z-]*):connect:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):instance\/([^/]+)(?:\/email-address\/([^/]+))?$/;
const INSTANCE_ARN_EXAMPLE = 'arn:aws:connect:us-east-1:123456789012:instance/<instance-id>';
const EMAIL_ADDRESS_ARN_EXAMPLE = `${INSTANCE_ARN_EXAMPLE}/email-address/<email-address-id>`;

/** Parses an instance ID or instance ARN. */
export function parseInstanceReference(value: string, propertyName: string): ConnectReference {
  if (!value.startsWith('arn:')) {
    return { id: checkId(value, propertyName, MAX_INSTANCE_ID_LENGTH) };
  }
  const arn = matchArn(value, propertyName, INSTANCE_ARN_EXAMPLE);
  if (arn.emailAddressId !== undefined) {
    throw new ConnectReferenceError(
      `${propertyName} is an email-address ARN ("${value}"): give the instance ID or the instance ARN (${INSTANCE_ARN_EXAMPLE}).`,
    );
  }
  return { id: arn.environment.instanceId, arn: arn.environment };
}

/** Parses an email-address ID or email-address ARN. */
export function parseEmailAddressReference(value: string, propertyName: string): ConnectReference {
  if (!value.startsWith('arn:')) {
    return { id: checkId(value, propertyName, MAX_EMAIL_ADDRESS_ID_LENGTH) };
  }
  const arn = matchArn(value, propertyName, EMAIL_ADDRESS_ARN_EXAMPLE);
  if (arn.emailAddressId === undefined) {
    throw new ConnectReferenceError(
      `${propertyName} is an instance ARN ("${value}"): give the email address ID or its ARN (${EMAIL_ADDRESS_ARN_EXAMPLE}).`,
    );
  }
  return { id: arn.emailAddressId, arn: arn.environment };
}

/** A parsed reference together with the property it came from, for error messages. */
export interface NamedReference {
  readonly propertyName: string;
  readonly reference: ConnectReference;
}

/** What a set of references agrees on. */
export interface CommonTarget {
  /** The instance, when any reference names it. */
  readonly instanceId?: string;
  /** The ARNs' partition, region and account, when any reference is an ARN. */
  readonly environment?: ArnEnvironment;
}

/**
 * Checks that every reference names the same instance, and every ARN the same partition,
 * region and account (the alias and its primary must live in one instance). `instance`
 * is the explicit instance reference, if any.
 */
export function findCommonTarget(instance: NamedReference | undefined, addresses: NamedReference[]): CommonTarget {
  let instanceId: string | undefined;
  let instanceSource = '';
  let environment: ArnEnvironment | undefined;
  let environmentSource = '';
  const all = instance ? [instance, ...addresses] : addresses;
  for (const { propertyName, reference } of all) {
    const named = reference === instance?.reference ? reference.id : reference.arn?.instanceId;
    if (named !== undefined) {
      if (instanceId !== undefined && named !== instanceId) {
        throw new ConnectReferenceError(
          `${propertyName} names instance "${named}" but ${instanceSource} names instance "${instanceId}": ` +
            'an alias and its primary must be in the same Amazon Connect instance; use references from one instance.',
        );
      }
      instanceId = named;
      instanceSource = propertyName;
    }
    if (reference.arn) {
      const { partition, region, account } = reference.arn;
      if (environment && describeEnvironment(environment) !== describeEnvironment({ partition, region, account })) {
        throw new ConnectReferenceError(
          `${propertyName} is in ${describeEnvironment(reference.arn)} but ${environmentSource} is in ` +
            `${describeEnvironment(environment)}: use ARNs of one account and region.`,
        );
      }
      environment = { partition, region, account };
      environmentSource = propertyName;
    }
  }
  return { instanceId, environment };
}

/** "account 123456789012, region us-east-1 (partition aws)", for messages. */
export function describeEnvironment(environment: ArnEnvironment): string {
  return `account ${environment.account}, region ${environment.region} (partition ${environment.partition})`;
}

function checkId(value: string, propertyName: string, maxLength: number): string {
  if (value.trim() === '') {
    throw new ConnectReferenceError(`${propertyName} is empty: give an ID or an ARN.`);
  }
  if (value.includes('@')) {
    throw new ConnectReferenceError(
      `${propertyName} ("${value}") is an email address, not an ID: give the ID (or ARN) that Amazon Connect ` +
        'assigned to it, as DescribeEmailAddress or SearchEmailAddresses show it.',
    );
  }
  if (/[\s/]/.test(value)) {
    throw new ConnectReferenceError(
      `${propertyName} ("${value}") contains whitespace or "/": give a plain ID, or a complete ARN starting with "arn:".`,
    );
  }
  if (value.length > maxLength) {
    throw new ConnectReferenceError(
      `${propertyName} is ${value.length} characters long; Amazon Connect IDs have at most ${maxLength}.`,
    );
  }
  return value;
}

function matchArn(value: string, propertyName: string, example: string) {
  const match = ARN_PATTERN.exec(value);
  if (!match) {
    throw new ConnectReferenceError(`${propertyName} is not a valid Amazon Connect ARN ("${value}"): expected ${example}.`);
  }
  const [, partition, region, account, instanceId, emailAddressId] = match;
  return { environment: { partition, region, account, instanceId }, emailAddressId };
}
