/**
 * The error a call must fail with, for assertions on its fields (`name`, `$metadata`, …) that
 * `rejects.toThrow` cannot reach; a call that succeeds fails the test.
 */
export async function failureOf<E extends Error = Error>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (error) {
    return error as E;
  }
  throw new Error('expected the call to fail');
}
