/**
 * The state behind the Amazon Connect emulator: instances, their email addresses and the
 * alias relationships between them, with the service's rules. Free of HTTP so that test
 * set-up (seeding) and the API answer with exactly the same checks and messages.
 */

/** The error names the emulator answers with; the SDK throws a class of the same name. */
export type ConnectErrorType =
  | 'ResourceNotFoundException'
  | 'ResourceConflictException'
  | 'IdempotencyException'
  | 'ThrottlingException'
  | 'InvalidRequestException'
  | 'InvalidParameterException'
  | 'AccessDeniedException'
  | 'InternalServiceException'
  // Not in Connect's model: a class a blocked call might plausibly get all the same; the SDK
  // throws a generic ConnectServiceException carrying this name.
  | 'ConflictException';

/** Errors of the HTTP front end rather than of the service model; the SDK throws a generic class. */
export type ProtocolErrorType =
  | 'MissingAuthenticationTokenException'
  | 'InvalidSignatureException'
  | 'UnknownOperationException'
  | 'SerializationException';

export type ErrorType = ConnectErrorType | ProtocolErrorType;

/** HTTP status of each error (Amazon Connect's service model, AWS front-end conventions). */
export const ERROR_STATUS: Readonly<Record<ErrorType, number>> = {
  ResourceNotFoundException: 404,
  ResourceConflictException: 409,
  IdempotencyException: 409,
  ThrottlingException: 429,
  InvalidRequestException: 400,
  InvalidParameterException: 400,
  AccessDeniedException: 403,
  InternalServiceException: 500,
  ConflictException: 409,
  MissingAuthenticationTokenException: 403,
  InvalidSignatureException: 403,
  UnknownOperationException: 404,
  SerializationException: 400,
};

/** A rule the request broke; the server turns it into an error answer. */
export class ConnectServiceError extends Error {
  constructor(
    readonly errorType: ErrorType,
    message: string,
  ) {
    super(message);
    this.name = errorType;
  }
}

/**
 * What the real service answers is not documented for these cases, so each emulator picks one
 * and the handler can be tested against every one.
 */
export interface UndocumentedErrorChoices {
  /** Associating a pair that is already associated. */
  readonly associateExistingError: 'ResourceConflictException' | 'InvalidRequestException';
  /** Disassociating a pair that is not associated. */
  readonly disassociateAbsentError: 'ResourceNotFoundException' | 'InvalidRequestException';
  /** Associating a pair that breaks a rule (at most one alias, no chaining). */
  readonly ruleBrokenError: 'ResourceConflictException' | 'InvalidRequestException';
}

/** One email address as the emulator keeps it. */
export interface EmailAddressRecord {
  readonly emailAddressId: string;
  readonly emailAddress: string;
  readonly displayName: string;
  readonly createdAt: string;
  /** The address that forwards to this one, when this one is a primary. */
  alias?: string;
  /** The primary this address forwards to, when this one is an alias. */
  primary?: string;
  /** TagResource / UntagResource; DescribeEmailAddress returns them. */
  readonly tags: Record<string, string>;
}

export class EmulatorState {
  private readonly instances = new Map<string, Map<string, EmailAddressRecord>>();

  constructor(private readonly choices: UndocumentedErrorChoices) {}

  /** Creates the address (and its instance, if new). A duplicate is a mistake in the test. */
  addEmailAddress(instanceId: string, emailAddressId: string, emailAddress?: string): void {
    let addresses = this.instances.get(instanceId);
    if (addresses === undefined) {
      addresses = new Map();
      this.instances.set(instanceId, addresses);
    }
    if (addresses.has(emailAddressId)) {
      throw new Error(`Email address ${emailAddressId} already exists in instance ${instanceId}.`);
    }
    const address = emailAddress ?? `${emailAddressId}@example.com`;
    addresses.set(emailAddressId, {
      emailAddressId,
      emailAddress: address,
      displayName: address.split('@')[0],
      createdAt: new Date().toISOString(),
      tags: {},
    });
  }

  describe(instanceId: string, emailAddressId: string): Readonly<EmailAddressRecord> {
    return this.find(instanceId, emailAddressId, 'Email address');
  }

  aliasesOf(instanceId: string, primaryId: string): string[] {
    const alias = this.instances.get(instanceId)?.get(primaryId)?.alias;
    return alias === undefined ? [] : [alias];
  }

  /** Makes `aliasId` forward to `primaryId`, or throws the error the service would answer. */
  associate(instanceId: string, primaryId: string, aliasId: string): void {
    checkNotSelf(primaryId, aliasId);
    const primary = this.find(instanceId, primaryId, 'Email address');
    const alias = this.find(instanceId, aliasId, 'Alias email address');
    if (primary.alias === aliasId) {
      throw new ConnectServiceError(
        this.choices.associateExistingError,
        `Email address ${aliasId} is already an alias of email address ${primaryId}.`,
      );
    }
    const conflict =
      (primary.alias !== undefined &&
        `Email address ${primaryId} already has an alias (${primary.alias}); an email address can have at most one alias.`) ||
      (primary.primary !== undefined &&
        `Email address ${primaryId} is an alias of ${primary.primary} and cannot have an alias of its own.`) ||
      (alias.alias !== undefined &&
        `Email address ${aliasId} has an alias (${alias.alias}) and cannot be an alias itself.`) ||
      (alias.primary !== undefined &&
        `Email address ${aliasId} is already an alias of email address ${alias.primary}.`);
    if (conflict) {
      throw new ConnectServiceError(this.choices.ruleBrokenError, conflict);
    }
    primary.alias = aliasId;
    alias.primary = primaryId;
  }

  /** Ends the forwarding from `aliasId` to `primaryId`, or throws the service's error. */
  disassociate(instanceId: string, primaryId: string, aliasId: string): void {
    checkNotSelf(primaryId, aliasId);
    const primary = this.find(instanceId, primaryId, 'Email address');
    const alias = this.find(instanceId, aliasId, 'Alias email address');
    if (primary.alias !== aliasId) {
      throw new ConnectServiceError(
        this.choices.disassociateAbsentError,
        `Email address ${aliasId} is not an alias of email address ${primaryId}.`,
      );
    }
    delete primary.alias;
    delete alias.primary;
  }

  /** Adds or overwrites tags; Connect allows at most 50 on a resource. */
  tag(instanceId: string, emailAddressId: string, tags: Record<string, string>): void {
    const record = this.find(instanceId, emailAddressId, 'Email address');
    const merged = { ...record.tags, ...tags };
    if (Object.keys(merged).length > MAX_TAGS) {
      throw new ConnectServiceError('InvalidParameterException', `A resource can have at most ${MAX_TAGS} tags.`);
    }
    Object.assign(record.tags, tags);
  }

  /** Removes the tags with these keys; absent keys are ignored, as by the service. */
  untag(instanceId: string, emailAddressId: string, keys: readonly string[]): void {
    const record = this.find(instanceId, emailAddressId, 'Email address');
    for (const key of keys) {
      delete record.tags[key];
    }
  }

  /** Removes the address and every alias relationship it is part of, as the service does. */
  deleteEmailAddress(instanceId: string, emailAddressId: string): void {
    const record = this.find(instanceId, emailAddressId, 'Email address');
    const addresses = this.instances.get(instanceId)!;
    const linked = record.alias ?? record.primary;
    if (linked !== undefined) {
      const other = addresses.get(linked)!;
      delete other.alias;
      delete other.primary;
    }
    addresses.delete(emailAddressId);
  }

  deleteInstance(instanceId: string): void {
    this.instances.delete(instanceId);
  }

  clear(): void {
    this.instances.clear();
  }

  private find(instanceId: string, emailAddressId: string, what: string): EmailAddressRecord {
    const addresses = this.instances.get(instanceId);
    if (addresses === undefined) {
      throw new ConnectServiceError('ResourceNotFoundException', `Instance ${instanceId} not found.`);
    }
    const record = addresses.get(emailAddressId);
    if (record === undefined) {
      throw new ConnectServiceError(
        'ResourceNotFoundException',
        `${what} ${emailAddressId} not found in instance ${instanceId}.`,
      );
    }
    return record;
  }
}

const MAX_TAGS = 50;

/** Checked before existence, like any other request validation. */
function checkNotSelf(primaryId: string, aliasId: string): void {
  if (primaryId === aliasId) {
    throw new ConnectServiceError(
      'InvalidParameterException',
      `An email address cannot be an alias of itself (${primaryId}).`,
    );
  }
}
