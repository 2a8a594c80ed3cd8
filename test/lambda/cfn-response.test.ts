import type { CloudFormationCustomResourceResponse } from 'aws-lambda';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  MAX_RESPONSE_BYTES,
  ResponseRejectedError,
  ResponseTimeoutError,
  prefixWithinJsonBytes,
  putResponse,
  serializeResponse,
} from '../../lambda/cfn-response';
import { Deadline } from '../../lambda/deadline';
import type { RetryPolicy } from '../../lambda/retry';
import { type Answer, ResponseReceiver } from '../support/response-receiver';

const FAILED: CloudFormationCustomResourceResponse = {
  Status: 'FAILED',
  Reason: 'short',
  PhysicalResourceId: 'connect-email-address-alias-0123456789abcdef',
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/AliasStack/5b1e9d70-0000-4000-8000-000000000001',
  RequestId: '2f7d1c4e-0000-4000-8000-000000000001',
  LogicalResourceId: 'SupportAlias6F1C2B3A',
};

const QUICK: RetryPolicy = { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 5, minAttemptMs: 20 };

describe('serializeResponse', () => {
  test('leaves a body within the limit as it is', () => {
    expect(JSON.parse(serializeResponse(FAILED))).toEqual(FAILED);
  });

  test.each([
    ['ASCII', 'x'],
    ['characters JSON escapes', '"\\\n\u0001'],
    ['three-byte characters', '€'],
    ['four-byte characters', '𝄞'],
  ])('cuts a long Reason of %s to fill the limit, not more', (_, unit) => {
    const body = serializeResponse({ ...FAILED, Reason: unit.repeat(10_000) });
    const parsed = JSON.parse(body);

    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    // Within one escaped character of the limit: the Reason keeps all it can.
    expect(Buffer.byteLength(body)).toBeGreaterThan(MAX_RESPONSE_BYTES - 8);
    expect(parsed.Reason).toMatch(/ \[truncated\]$/);
    expect(unit.repeat(10_000).startsWith(parsed.Reason.replace(/ \[truncated\]$/, ''))).toBe(true);
    expect({ ...parsed, Reason: undefined }).toEqual({ ...FAILED, Reason: undefined });
  });
});

describe('prefixWithinJsonBytes', () => {
  test('never splits a multi-byte character', () => {
    expect(prefixWithinJsonBytes('a€b', 3)).toBe('a');
    expect(prefixWithinJsonBytes('a€b', 4)).toBe('a€');
    expect(prefixWithinJsonBytes('𝄞𝄞', 5)).toBe('𝄞');
  });

  test('counts JSON escapes', () => {
    expect(prefixWithinJsonBytes('""', 3)).toBe('"');
    expect(prefixWithinJsonBytes('\u0001x', 6)).toBe('\u0001');
  });
});

describe('putResponse', () => {
  let receiver: ResponseReceiver;

  beforeAll(async () => {
    receiver = await ResponseReceiver.start();
  });
  beforeEach(() => receiver.reset());
  afterAll(() => receiver.stop());

  const soon = (ms: number) => new Deadline(Date.now() + ms);

  test('PUTs the body to the URL as given, query included, with an empty Content-Type and a Content-Length', async () => {
    const url = receiver.urlFor('/cfn-response/one');
    const body = serializeResponse({ ...FAILED, Reason: 'Ünïcödé' });

    await putResponse(url, body, soon(5_000), QUICK);

    const [request] = receiver.requestsTo('/cfn-response/one');
    expect(request).toMatchObject({ method: 'PUT', url: url.slice(receiver.origin.length), body });
    expect(request.headers).toMatchObject({ 'content-type': '', 'content-length': String(Buffer.byteLength(body)) });
  });

  test.each<Answer>([500, 503, 403, 'reset'])('retries after %s', async (status) => {
    receiver.refuseNext(2, status);

    await putResponse(receiver.urlFor('/retried'), '{}', soon(5_000), QUICK);

    expect(receiver.requestsTo('/retried').map((request) => request.answeredWith)).toEqual([status, status, 200]);
  });

  test('gives up after maxAttempts with the last refusal', async () => {
    receiver.refuseNext(10, 500);

    await expect(putResponse(receiver.urlFor('/refused'), '{}', soon(5_000), QUICK)).rejects.toEqual(new ResponseRejectedError(500));
    expect(receiver.requestsTo('/refused')).toHaveLength(QUICK.maxAttempts);
  });

  test('a URL that never answers is given up at the deadline', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const started = Date.now();
    try {
      await expect(putResponse(`http://127.0.0.1:${port}/silent?X-Amz-Signature=s`, '{}', soon(400), QUICK)).rejects.toBeInstanceOf(
        ResponseTimeoutError,
      );
      // Not held until the 2 s bound of a try, let alone forever.
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
