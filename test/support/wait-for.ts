/**
 * Resolves once `condition` holds, checking every few milliseconds: for a test to act at a point
 * in another party's progress (a call made, a request received) rather than after a guessed delay.
 * jest's own test timeout bounds it.
 */
export async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
