import type { AliasPair } from '../../lambda/alias-pair';
import { clientToken } from '../../lambda/client-token';

const PAIR: AliasPair = { instanceId: 'instance-1', primaryId: 'primary', aliasId: 'alias' };
const REQUEST_ID = '2f7d1c4e-0000-4000-8000-000000000001';

describe('clientToken', () => {
  test('is the same for the same request, step and addresses, so a redelivered event is idempotent', () => {
    expect(clientToken(REQUEST_ID, 'associate', PAIR)).toBe(clientToken(REQUEST_ID, 'associate', { ...PAIR }));
  });

  test('differs between the steps of one request, so a restore is not taken for the original call', () => {
    const tokens = (['associate', 'disassociate', 'restore'] as const).map((purpose) => clientToken(REQUEST_ID, purpose, PAIR));
    expect(new Set(tokens).size).toBe(3);
  });

  test('differs between requests and between addresses', () => {
    const token = clientToken(REQUEST_ID, 'associate', PAIR);
    expect(clientToken('another-request', 'associate', PAIR)).not.toBe(token);
    expect(clientToken(REQUEST_ID, 'associate', { ...PAIR, aliasId: 'other' })).not.toBe(token);
    expect(clientToken(REQUEST_ID, 'associate', { ...PAIR, instanceId: 'instance-2' })).not.toBe(token);
  });

  test('cannot be forged by moving characters between fields', () => {
    expect(clientToken(REQUEST_ID, 'associate', { ...PAIR, primaryId: 'ab', aliasId: 'c' })).not.toBe(
      clientToken(REQUEST_ID, 'associate', { ...PAIR, primaryId: 'a', aliasId: 'bc' }),
    );
  });

  test('stays within the 500 characters Connect accepts, even for the longest IDs', () => {
    const longest: AliasPair = { instanceId: 'i'.repeat(100), primaryId: 'p'.repeat(500), aliasId: 'a'.repeat(500) };
    expect(clientToken(REQUEST_ID, 'restore', longest).length).toBeLessThanOrEqual(500);
  });
});
