/**
 * What every AWS client of the handler shares: made once per Lambda container, one attempt per
 * call (the retries are the handler's own, bounded by its deadline), and bounds that turn a dead
 * connection into a retryable error long before the deadline.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

const SDK_MAX_ATTEMPTS = 1;
// A call to a regional endpoint connects in milliseconds and answers in well under a second.
const CONNECTION_TIMEOUT_MS = 3_000;
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The endpoint comes from the SDK's default resolution, so `AWS_ENDPOINT_URL_<SERVICE>` can point
 * a client elsewhere; the region from `AWS_REGION`; credentials from the function's role, which
 * Lambda puts in the environment.
 */
export function sdkClientOptions() {
  return {
    region: process.env.AWS_REGION,
    maxAttempts: SDK_MAX_ATTEMPTS,
    credentials: fromEnv(),
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      // Without it, an exceeded requestTimeout only logs a warning and the call waits on.
      throwOnRequestTimeout: true,
    },
  };
}
