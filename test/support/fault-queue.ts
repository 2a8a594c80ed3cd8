/**
 * Faults a test has queued for the next calls of an operation, each for a number of calls, in
 * the order injected: the emulators share one countdown so that "the next N calls fail" means
 * the same everywhere.
 */

export interface CountedFault {
  /** How many of the next calls of the operation get it. */
  readonly times: number;
}

interface Pending<F> {
  readonly fault: F;
  remaining: number;
}

export class FaultQueue<Operation, F extends CountedFault> {
  private readonly queues = new Map<Operation, Pending<F>[]>();

  /** The next `fault.times` calls of `operation` get it (after faults injected before). */
  inject(operation: Operation, fault: F): void {
    if (!Number.isInteger(fault.times) || fault.times < 1) {
      throw new Error(`Fault times must be a positive integer, got ${fault.times}.`);
    }
    const queue = this.queues.get(operation) ?? [];
    queue.push({ fault, remaining: fault.times });
    this.queues.set(operation, queue);
  }

  /**
   * The fault for this call of `operation`, counted as used; undefined if none is queued or the
   * first one does not apply to the call (it then waits for one it applies to).
   */
  take(operation: Operation, appliesTo: (fault: F) => boolean = () => true): F | undefined {
    const queue = this.queues.get(operation);
    const next = queue?.[0];
    if (next === undefined || !appliesTo(next.fault)) {
      return undefined;
    }
    next.remaining -= 1;
    if (next.remaining === 0) {
      queue!.shift();
    }
    return next.fault;
  }
}
