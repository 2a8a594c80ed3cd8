/**
 * What an error from `@aws-sdk/client-connect` means for the handler. Service errors are told
 * apart by `name` (the SDK's exception class) and HTTP status, never by `code`, which SDK v3 does
 * not set on them, and never by message wording, which Connect does not document.
 */

/** The parts of an SDK error the handler reads. */
interface SdkErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

// Connect's and Lambda's names, and CloudFormation's (an HTTP 400).
const THROTTLING_NAMES = new Set(['ThrottlingException', 'TooManyRequestsException', 'Throttling']);
// Raised on this side of the network: retrying cannot help.
const LOCAL_ERROR_NAMES = new Set(['AbortError', 'CredentialsProviderError', 'NotAwaitedError']);

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

export function isThrottling(error: unknown): boolean {
  return THROTTLING_NAMES.has(errorName(error)) || httpStatusOf(error) === 429;
}

/**
 * A server fault, or a connection that broke without an answer (reset, refused, timed out):
 * another attempt may succeed.
 */
export function isServerOrNetworkFault(error: unknown): boolean {
  const status = httpStatusOf(error);
  if ((error as SdkErrorShape | undefined)?.$fault === 'server' || (status !== undefined && status >= 500)) {
    return true;
  }
  return status === undefined && !LOCAL_ERROR_NAMES.has(errorName(error));
}

/** 403: a real denial, or a policy that IAM does not enforce yet. */
export function isAccessDenied(error: unknown): boolean {
  return errorName(error) === 'AccessDeniedException' || httpStatusOf(error) === 403;
}

export function isNotFound(error: unknown): boolean {
  return errorName(error) === 'ResourceNotFoundException';
}

/**
 * A refusal (409 conflict or 400 invalid request) of an associate or disassociate. It may mean
 * the state is already as wanted, a rule the pair breaks, or a lock held by a concurrent
 * operation: Connect documents neither the class nor the message of any of these, so only the
 * state (DescribeEmailAddress) tells them apart.
 */
export function isRefusal(error: unknown): boolean {
  const status = httpStatusOf(error);
  return status === 400 || status === 409;
}
