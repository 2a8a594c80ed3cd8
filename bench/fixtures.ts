/**
 * The email addresses the benchmarks deploy, in the instance and environment the tests use
 * (test/fixtures/environment). IDs have the shape and length of real Amazon Connect IDs
 * (UUIDs), because template and policy bytes grow with them.
 */

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

/** A deterministic UUID-shaped ID, so repeated runs produce byte-identical templates. */
function fakeUuid(series: number, index: number): string {
  const hex = (value: number, width: number) => value.toString(16).padStart(width, '0');
  return `${hex(series, 8)}-0000-4000-8000-${hex(index, 12)}`;
}
