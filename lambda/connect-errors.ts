/**
 * What an error from `@aws-sdk/client-connect` means for the handler. Service errors are told
 * apart by `name` (the SDK's exception class), never by `code`, which SDK v3 does not set on them.
 */

/** The parts of an SDK error the handler reads. */
interface SdkErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

const THROTTLING_NAMES = new Set(['ThrottlingException', 'TooManyRequestsException']);
// Connect: "This API uses distributed locking, so concurrent operations on the same email
// addresses may be temporarily blocked." The error a blocked call gets is not documented, so
// the message decides, whichever of these two classes carries it.
const LOCK_CARRIER_NAMES = new Set(['ResourceConflictException', 'InvalidRequestException']);
const LOCK_MESSAGE = /distributed lock|temporarily blocked|concurren/i;
// Raised on this side of the network: retrying cannot help.
const LOCAL_ERROR_NAMES = new Set(['AbortError', 'CredentialsProviderError']);

export function errorName(error: unknown): string {
  const name = (error as SdkErrorShape | undefined)?.name;
  return typeof name === 'string' && name !== '' ? name : 'Error';
}

export function errorMessage(error: unknown): string {
  const message = (error as SdkErrorShape | undefined)?.message;
  return typeof message === 'string' ? message : String(error);
}

/** "Name: message", for a Reason. */
export function describeError(error: unknown): string {
  return `${errorName(error)}: ${errorMessage(error)}`;
}

/** The HTTP status of the service's answer; undefined when no answer came. */
export function httpStatusOf(error: unknown): number | undefined {
  const status = (error as SdkErrorShape | undefined)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Throttling, a blocked lock, a server fault, or a connection that broke without an answer
 * (reset, refused, timed out): another attempt may succeed.
 */
export function isTransientConnectError(error: unknown): boolean {
  const name = errorName(error);
  const status = httpStatusOf(error);
  if (THROTTLING_NAMES.has(name) || status === 429) {
    return true;
  }
  if (LOCK_CARRIER_NAMES.has(name) && LOCK_MESSAGE.test(errorMessage(error))) {
    return true;
  }
  if ((error as SdkErrorShape | undefined)?.$fault === 'server' || (status !== undefined && status >= 500)) {
    return true;
  }
  return status === undefined && !LOCAL_ERROR_NAMES.has(name);
}

export function isNotFound(error: unknown): boolean {
  return errorName(error) === 'ResourceNotFoundException';
}

/**
 * A refusal that may only mean the state is already as wanted: a conflict (409) or an invalid
 * request (400). What Connect answers for an association that already exists, or one that does
 * not, is not documented, so such a refusal is checked against the state before it counts.
 * Denied access (403) and the like are not: they fail at once.
 */
export function mayReflectState(error: unknown): boolean {
  const status = httpStatusOf(error);
  return status === 400 || status === 409;
}
