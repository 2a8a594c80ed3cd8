/**
 * ClientTokens make Connect's mutating calls idempotent. Lambda may deliver the same event
 * twice; the same request and step must then send the same token, while each step of one
 * request (remove, add, put back) needs a token of its own.
 */
import { createHash } from 'node:crypto';
import type { AliasPair } from './alias-pair';

/** The step of a request a token is for. */
export type TokenPurpose = 'associate' | 'disassociate' | 'restore';

/** 64 hex characters, well within Connect's limit of 500. */
export function clientToken(requestId: string, purpose: TokenPurpose, pair: AliasPair): string {
  return createHash('sha256')
    .update(JSON.stringify([requestId, purpose, pair.instanceId, pair.primaryId, pair.aliasId]))
    .digest('hex');
}
