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
import { describeError, isTransientConnectError, mayReflectState } from '../../lambda/connect-errors';

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

describe('isTransientConnectError', () => {
  test.each([
    ['throttling', answered(ThrottlingException, 429, 'Rate exceeded.')],
    ['any 429', Object.assign(new Error('Too Many Requests'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } })],
    ['a lock conflict (409)', answered(ResourceConflictException, 409, LOCK_MESSAGE)],
    ['a lock conflict reported as an invalid request', answered(InvalidRequestException, 400, LOCK_MESSAGE)],
    ['a blocked concurrent operation', answered(ResourceConflictException, 409, 'A concurrent operation is in progress.')],
    ['a server fault', answered(InternalServiceException, 500, 'Internal service error.')],
    ['a 503 of the front end', Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', $fault: 'server', $metadata: { httpStatusCode: 503 } })],
    ['a reset connection', unanswered('TimeoutError', 'socket hang up')],
    ['an exceeded request timeout', unanswered('TimeoutError', 'a request has exceeded the configured 10000 ms requestTimeout.')],
    ['a refused connection', unanswered('Error', 'connect ECONNREFUSED 127.0.0.1:1')],
  ])('%s is retried', (_, error) => {
    expect(isTransientConnectError(error)).toBe(true);
  });

  test.each([
    ['denied access', answered(AccessDeniedException, 403, 'You do not have sufficient access.')],
    ['an invalid parameter', answered(InvalidParameterException, 400, 'One or more parameters are not valid.')],
    ['an invalid request', answered(InvalidRequestException, 400, 'The alias is in use.')],
    ['a conflict of state', answered(ResourceConflictException, 409, 'Email address a is already an alias of p.')],
    ['a reused ClientToken', answered(IdempotencyException, 409, 'Token already used.')],
    ['a missing resource', answered(ResourceNotFoundException, 404, 'Email address not found.')],
    ['the deadline abort', unanswered('AbortError', 'Request aborted')],
    ['missing credentials', unanswered('CredentialsProviderError', 'Unable to find environment variable credentials.')],
  ])('%s is not retried', (_, error) => {
    expect(isTransientConnectError(error)).toBe(false);
  });
});

describe('mayReflectState', () => {
  test('conflicts and invalid requests may mean the state is already as wanted', () => {
    expect(mayReflectState(answered(ResourceConflictException, 409, 'exists'))).toBe(true);
    expect(mayReflectState(answered(InvalidRequestException, 400, 'not associated'))).toBe(true);
  });

  test('denied access or a missing resource say nothing about the association', () => {
    expect(mayReflectState(answered(AccessDeniedException, 403, 'denied'))).toBe(false);
    expect(mayReflectState(answered(ResourceNotFoundException, 404, 'gone'))).toBe(false);
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
