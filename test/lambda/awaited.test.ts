import {
  LATER_OPERATION_SLACK_MS,
  createAnswered,
  type PendingRequest,
  holderGone,
  pastServiceTimeout,
  requestSentAt,
  serviceTimeoutMs,
  stillAwaited,
} from '../../lambda/awaited';

const SENT_AT = Date.UTC(2026, 11, 4, 15, 30, 0);
const create: PendingRequest = { requestType: 'Create', sentAt: SENT_AT, serviceTimeoutMs: 150_000 };
const update: PendingRequest = { ...create, requestType: 'Update', physicalResourceId: 'connect-email-address-alias-1' };
const del: PendingRequest = { ...update, requestType: 'Delete' };
const soon = SENT_AT + 5_000;

describe('requestSentAt', () => {
  test("reads the presigned URL's X-Amz-Date", () => {
    const url = 'https://bucket.s3.amazonaws.com/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261204T153000Z&X-Amz-Signature=abc';
    expect(requestSentAt(url)).toBe(SENT_AT);
  });

  test.each(['https://host/key', 'https://host/key?X-Amz-Date=yesterday', 'not a url'])('none in %s', (url) => {
    expect(requestSentAt(url)).toBeUndefined();
  });
});

describe('serviceTimeoutMs', () => {
  test('CloudFormation delivers it in seconds, as a string', () => {
    expect(serviceTimeoutMs({ ServiceTimeout: '150' })).toBe(150_000);
    expect(serviceTimeoutMs({})).toBeUndefined();
    expect(serviceTimeoutMs({ ServiceTimeout: 'soon' })).toBeUndefined();
  });
});

describe('pastServiceTimeout', () => {
  test('a request older than its ServiceTimeout is no longer awaited, whatever the stack says', () => {
    expect(pastServiceTimeout(create, SENT_AT + 150_000)).toBe(false);
    expect(pastServiceTimeout(create, SENT_AT + 150_001)).toBe(true);
    expect(stillAwaited(create, { status: 'CREATE_IN_PROGRESS' }, SENT_AT + 150_001)).toBe(false);
  });

  test('without a date or a timeout, the clock alone decides nothing', () => {
    expect(pastServiceTimeout({ requestType: 'Create' }, Number.MAX_SAFE_INTEGER)).toBe(false);
  });
});

describe('stillAwaited', () => {
  test.each<[string, PendingRequest, string]>([
    ['a Create while the resource is being created', create, 'CREATE_IN_PROGRESS'],
    ['an Update while it is being updated', update, 'UPDATE_IN_PROGRESS'],
    ['an Update of a rollback', update, 'UPDATE_ROLLBACK_IN_PROGRESS'],
    ['a Delete while it is being deleted', del, 'DELETE_IN_PROGRESS'],
  ])('yes: %s', (_, request, status) => {
    expect(stillAwaited(request, { status, physicalResourceId: request.physicalResourceId, lastUpdatedAt: SENT_AT - 200 }, soon)).toBe(true);
  });

  test.each<[string, PendingRequest, string]>([
    ['a Create that CloudFormation cancelled', create, 'CREATE_FAILED'],
    ['a Create whose cancelled resource is being deleted', create, 'DELETE_IN_PROGRESS'],
    ['a Create whose resource was created by a later request', create, 'CREATE_COMPLETE'],
    ['an Update that failed or was cancelled', update, 'UPDATE_FAILED'],
    ['a Delete that CloudFormation gave up on', del, 'DELETE_FAILED'],
  ])('no: %s', (_, request, status) => {
    expect(stillAwaited(request, { status, physicalResourceId: request.physicalResourceId }, soon)).toBe(false);
  });

  test('no: the stack no longer lists the resource', () => {
    expect(stillAwaited(create, 'absent', soon)).toBe(false);
  });

  test('no: the same status, set by a later operation on the same logical ID', () => {
    const later = { status: 'CREATE_IN_PROGRESS', lastUpdatedAt: SENT_AT + LATER_OPERATION_SLACK_MS + 1 };
    expect(stillAwaited(create, later, soon)).toBe(false);
    expect(stillAwaited(create, { ...later, lastUpdatedAt: SENT_AT + 900 }, soon)).toBe(true);
  });

  test('no: an Update or Delete for another physical resource', () => {
    expect(stillAwaited(del, { status: 'DELETE_IN_PROGRESS', physicalResourceId: 'other' }, soon)).toBe(false);
  });
});

describe('holderGone', () => {
  test('a holder the stack no longer lists, or lists as deleted or retained, holds nothing', () => {
    expect(holderGone('absent')).toBe(true);
    expect(holderGone({ status: 'DELETE_COMPLETE' })).toBe(true);
    expect(holderGone({ status: 'DELETE_SKIPPED' })).toBe(true);
    expect(holderGone({ status: 'UPDATE_COMPLETE' })).toBe(false);
    expect(holderGone({ status: 'DELETE_IN_PROGRESS' })).toBe(false);
  });
});

describe('createAnswered', () => {
  const ours = { ...create, createdResourceId: 'connect-email-address-alias-1' };

  test('yes: the resource is live with the id this Create answers with, from an earlier delivery', () => {
    expect(createAnswered(ours, { status: 'CREATE_COMPLETE', physicalResourceId: 'connect-email-address-alias-1' })).toBe(true);
    expect(createAnswered(ours, { status: 'UPDATE_COMPLETE', physicalResourceId: 'connect-email-address-alias-1' })).toBe(true);
  });

  test('no: cancelled, deleted, or another id (CloudFormation made one up)', () => {
    expect(createAnswered(ours, { status: 'CREATE_FAILED', physicalResourceId: 'connect-email-address-alias-1' })).toBe(false);
    expect(createAnswered(ours, { status: 'DELETE_COMPLETE', physicalResourceId: 'connect-email-address-alias-1' })).toBe(false);
    expect(createAnswered(ours, { status: 'CREATE_COMPLETE', physicalResourceId: 'AliasStack-Alias-1A2B' })).toBe(false);
    expect(createAnswered(ours, 'absent')).toBe(false);
  });
});
