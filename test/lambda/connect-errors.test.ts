import {
  AccessDeniedException,
  IdempotencyException,
  InternalServiceException,
  InvalidParameterException,
  InvalidRequestException,
  ResourceConflictException,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-connect';
import {
  describeError,
  isAccessDenied,
  isRefusal,
  isServerOrNetworkFault,
  isThrottling,
} from '../../lambda/connect-errors';

const LOCK_MESSAGE =
  'This API uses distributed locking, so concurrent operations on the same email addresses may be temporarily blocked.';

/** The exception the SDK throws for an answer with this status. */
function answered<T>(Exception: new (options: never) => T, status: number, message: string): T {
  return new Exception({ message, $metadata: { httpStatusCode: status } } as never);
}

/** What the SDK throws when no answer came (as seen from @aws-sdk/client-connect 3.1136). */
function unanswered(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: { attempts: 1, totalRetryDelay: 0 } });
}

describe('retried by the call itself', () => {
  test.each([
    ['throttling', answered(ThrottlingException, 429, 'Rate exceeded.')],
    ['any 429', Object.assign(new Error('Too Many Requests'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } })],
  ])('%s is throttling', (_, error) => {
    expect(isThrottling(error)).toBe(true);
    expect(isRefusal(error)).toBe(false);
  });

  test.each([
    ['a server fault', answered(InternalServiceException, 500, 'Internal service error.')],
    ['a 503 of the front end', Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', $fault: 'server', $metadata: { httpStatusCode: 503 } })],
    ['a reset connection', unanswered('TimeoutError', 'socket hang up')],
    ['an exceeded request timeout', unanswered('TimeoutError', 'a request has exceeded the configured 10000 ms requestTimeout.')],
    ['a refused connection', unanswered('Error', 'connect ECONNREFUSED 127.0.0.1:1')],
  ])('%s is a server or network fault', (_, error) => {
    expect(isServerOrNetworkFault(error)).toBe(true);
  });

  test.each([
    ['the deadline abort', unanswered('AbortError', 'Request aborted')],
    ['missing credentials', unanswered('CredentialsProviderError', 'Unable to find environment variable credentials.')],
    ['a missing resource', answered(ResourceNotFoundException, 404, 'Email address not found.')],
  ])('%s is no fault to retry', (_, error) => {
    expect(isServerOrNetworkFault(error)).toBe(false);
    expect(isThrottling(error)).toBe(false);
  });

  test('denied access is told apart, for its own short window', () => {
    expect(isAccessDenied(answered(AccessDeniedException, 403, 'You do not have sufficient access.'))).toBe(true);
    expect(isAccessDenied(answered(InvalidRequestException, 400, 'denied'))).toBe(false);
  });
});

describe('isRefusal', () => {
  // Whatever the class and the words: only the state tells what a refusal means.
  test.each([
    ['a lock conflict (409)', answered(ResourceConflictException, 409, LOCK_MESSAGE)],
    ['a lock conflict reported as an invalid request', answered(InvalidRequestException, 400, LOCK_MESSAGE)],
    ['a conflict in other words', answered(ResourceConflictException, 409, 'Operation cannot be performed at this time.')],
    ['a conflict of an unmodelled class', Object.assign(new Error('busy'), { name: 'ConflictException', $metadata: { httpStatusCode: 409 } })],
    ['a conflict of state', answered(ResourceConflictException, 409, 'Email address a is already an alias of p.')],
    ['an invalid parameter', answered(InvalidParameterException, 400, 'One or more parameters are not valid.')],
    ['a reused ClientToken', answered(IdempotencyException, 409, 'Token already used.')],
  ])('%s is a refusal', (_, error) => {
    expect(isRefusal(error)).toBe(true);
  });

  test('denied access or a missing resource are not', () => {
    expect(isRefusal(answered(AccessDeniedException, 403, 'denied'))).toBe(false);
    expect(isRefusal(answered(ResourceNotFoundException, 404, 'gone'))).toBe(false);
  });
});

describe('describeError', () => {
  test('reads the exception class from name, not code', () => {
    const error = Object.assign(answered(AccessDeniedException, 403, 'No.'), { code: 'SomethingElse' });
    expect(describeError(error)).toBe('AccessDeniedException: No.');
  });

  test('describes what is not an Error', () => {
    expect(describeError('plain text')).toBe('Error: plain text');
  });
});
