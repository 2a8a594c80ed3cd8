/**
 * The names the benchmarks deploy against. IDs have the shape and length of real Amazon
 * Connect IDs (UUIDs), because template and policy bytes grow with them.
 */

/** One account and region for every stack, so ARNs are literal strings, as a user writes them. */
export const ENVIRONMENT = { account: '123456789012', region: 'us-east-1', partition: 'aws' } as const;

/** Every alias in a benchmark lives in this one instance. */
export const INSTANCE_ID = fakeUuid(0, 0);

/** A primary email address and the address that forwards to it. */
export interface AliasPair {
  readonly emailAddressId: string;
  readonly aliasEmailAddressId: string;
}

/** `count` disjoint pairs. */
export function aliasPairs(count: number): AliasPair[] {
  return Array.from({ length: count }, (_, index) => aliasPair(index));
}

/** Pair number `index`; `series` keeps benchmarks from reusing each other's addresses. */
export function aliasPair(index: number, series = 1): AliasPair {
  return { emailAddressId: fakeUuid(series, 2 * index + 1), aliasEmailAddressId: fakeUuid(series, 2 * index + 2) };
}

export function instanceArn(instanceId = INSTANCE_ID): string {
  const { partition, region, account } = ENVIRONMENT;
  return `arn:${partition}:connect:${region}:${account}:instance/${instanceId}`;
}

export function emailAddressArn(emailAddressId: string, instanceId = INSTANCE_ID): string {
  return `${instanceArn(instanceId)}/email-address/${emailAddressId}`;
}

/** A deterministic UUID-shaped ID, so repeated runs produce byte-identical templates. */
function fakeUuid(series: number, index: number): string {
  const hex = (value: number, width: number) => value.toString(16).padStart(width, '0');
  return `${hex(series, 8)}-0000-4000-8000-${hex(index, 12)}`;
}
