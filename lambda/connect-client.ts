/**
 * The Amazon Connect client, made once per Lambda container and reused by every invocation.
 */
import { ConnectClient } from '@aws-sdk/client-connect';
import { fromEnv } from '@aws-sdk/credential-provider-env';

// Retries are the handler's own (they must stop at its deadline and understand lock conflicts),
// so the SDK makes one attempt per call.
const SDK_MAX_ATTEMPTS = 1;
// A call to a regional endpoint connects in milliseconds and answers in well under a second;
// these bounds turn a dead connection into a retryable error long before the deadline.
const CONNECTION_TIMEOUT_MS = 3_000;
const REQUEST_TIMEOUT_MS = 10_000;

let client: ConnectClient | undefined;

/**
 * The endpoint comes from the SDK's default resolution, so `AWS_ENDPOINT_URL_CONNECT` can point
 * it elsewhere; the region from `AWS_REGION`; credentials from the function's role, which Lambda
 * puts in the environment.
 */
export function connectClient(): ConnectClient {
  client ??= new ConnectClient({
    region: process.env.AWS_REGION,
    maxAttempts: SDK_MAX_ATTEMPTS,
    credentials: fromEnv(),
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      // Without it, an exceeded requestTimeout only logs a warning and the call waits on.
      throwOnRequestTimeout: true,
    },
  });
  return client;
}
