import { TEST_ENVIRONMENT } from '../fixtures/environment';

/** The SDK's endpoint for every service without one of its own: the discard port, where nothing listens. */
export const NO_SERVICE_ENDPOINT = 'http://127.0.0.1:9';

/**
 * What Lambda sets in a function's environment, with fake credentials and Amazon Connect (and,
 * when given, CloudFormation's API) pointed at the local emulators; nothing of this machine's
 * AWS set-up reaches the handler, and a service not pointed anywhere meets a closed loopback port
 * rather than AWS.
 */
export function localLambdaEnvironment(connectEndpoint: string, cloudFormationEndpoint?: string): Record<string, string> {
  return {
    AWS_REGION: TEST_ENVIRONMENT.region,
    AWS_DEFAULT_REGION: TEST_ENVIRONMENT.region,
    AWS_ACCESS_KEY_ID: 'ASIAINTEGRATIONTEST1',
    AWS_SECRET_ACCESS_KEY: 'integration-test-secret-access-key',
    AWS_SESSION_TOKEN: 'integration-test-session-token',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    TZ: 'UTC',
    AWS_ENDPOINT_URL: NO_SERVICE_ENDPOINT,
    AWS_ENDPOINT_URL_CONNECT: connectEndpoint,
    ...(cloudFormationEndpoint === undefined ? {} : { AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormationEndpoint }),
  };
}
