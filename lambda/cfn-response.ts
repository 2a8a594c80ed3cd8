/**
 * The answer to CloudFormation: a JSON body PUT to the presigned S3 URL of the event.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { CloudFormationCustomResourceResponse } from 'aws-lambda';
import type { Deadline } from './deadline';
import { type RetryPolicy, withRetries } from './retry';

/** CloudFormation rejects a larger body ("Response object is too long"). */
export const MAX_RESPONSE_BYTES = 4096;
const TRUNCATION_MARK = ' [truncated]';
// S3 answers a PUT from inside AWS in tens of milliseconds: a try silent for 2 s is hung, and
// the time left is better spent on the next try than on waiting for it.
const MAX_TRY_MS = 2_000;

/** The body, with the Reason cut (between characters) so that the whole stays within the limit. */
export function serializeResponse(response: CloudFormationCustomResourceResponse): string {
  const body = JSON.stringify(response);
  if (Buffer.byteLength(body) <= MAX_RESPONSE_BYTES || response.Reason === undefined) {
    return body;
  }
  const room = MAX_RESPONSE_BYTES - Buffer.byteLength(JSON.stringify({ ...response, Reason: TRUNCATION_MARK }));
  return JSON.stringify({ ...response, Reason: prefixWithinJsonBytes(response.Reason, room) + TRUNCATION_MARK });
}

/**
 * The longest prefix of `text` that takes at most `maxBytes` UTF-8 bytes inside a JSON string
 * (escapes counted), cut between characters so that no multi-byte character is split.
 */
export function prefixWithinJsonBytes(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    bytes += Buffer.byteLength(JSON.stringify(char)) - 2;
    if (bytes > maxBytes) {
      break;
    }
    end += char.length;
  }
  return text.slice(0, end);
}

/** A try that reached the URL but was refused. The URL is left out: it grants the right to answer. */
export class ResponseRejectedError extends Error {
  constructor(readonly statusCode: number) {
    super(`The response URL answered HTTP ${statusCode}.`);
    this.name = 'ResponseRejectedError';
  }
}

/** A try that got no complete answer within the time it had. */
export class ResponseTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`The response URL did not answer within ${timeoutMs} ms.`);
    this.name = 'ResponseTimeoutError';
  }
}

/**
 * PUTs the body, retrying network errors, hung tries and any status of 400 or more (as aws-cdk's
 * own provider framework does) until the deadline. Throws the last error when no try succeeded.
 */
export async function putResponse(responseUrl: string, body: string, deadline: Deadline, policy: RetryPolicy): Promise<void> {
  const url = new URL(responseUrl);
  await withRetries(() => putOnce(url, body, Math.min(MAX_TRY_MS, deadline.remainingMs())), {
    policy,
    deadline,
    isTransient: () => true,
  });
}

function putOnce(url: URL, body: string, timeoutMs: number): Promise<void> {
  // CloudFormation always sends https; http serves local tests.
  const request = url.protocol === 'http:' ? http.request : https.request;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'PUT',
        // The URL is presigned for an empty content type.
        headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('error', settle);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          settle(status >= 400 ? new ResponseRejectedError(status) : undefined);
        });
      },
    );
    // A plain timer, cleared when the try ends, bounds it. AbortSignal.timeout() would too, but
    // it and the listeners http.request attaches to a signal cost about 0.1 ms per PUT, and its
    // timer stays pending after the PUT until it fires or the signal is garbage-collected.
    const timer = setTimeout(() => {
      const timeout = new ResponseTimeoutError(timeoutMs);
      req.destroy(timeout);
      settle(timeout);
    }, timeoutMs);
    function settle(error?: Error): void {
      clearTimeout(timer);
      if (error) {
        reject(error);
      } else {
        resolve();
      }
    }
    req.on('error', settle);
    req.end(body);
  });
}
