/**
 * The Amazon Connect client, made once per Lambda container and reused by every invocation.
 */
import { ConnectClient } from '@aws-sdk/client-connect';
import { sdkClientOptions } from './sdk-client-options';

let client: ConnectClient | undefined;

export function connectClient(): ConnectClient {
  client ??= new ConnectClient(sdkClientOptions());
  return client;
}
