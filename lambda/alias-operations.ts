/**
 * Associating and disassociating one alias pair in Amazon Connect, with retries, state checks
 * and ownership marks. A refusal (409 or 400) is never judged by its wording, which Connect does
 * not document: DescribeEmailAddress tells whether it means "already done", a rule the pair
 * breaks, or neither, in which case it is taken for contention on the addresses' lock and tried
 * again for a bounded time.
 */
import {
  AssociateEmailAddressAliasCommand,
  type ConnectClient,
  DescribeEmailAddressCommand,
  DisassociateEmailAddressAliasCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-connect';
import { type AliasPair, describePair, sameEmailAddress } from './alias-pair';
import { type TokenPurpose, clientToken } from './client-token';
import { type ConnectRetryPlan, type ConnectRetryPolicy, withinWindow } from './connect-retry';
import {
  describeError,
  errorMessage,
  isAccessDenied,
  isNotFound,
  isRefusal,
  isServerOrNetworkFault,
  isThrottling,
} from './connect-errors';
import type { Deadline } from './deadline';
import {
  type Holder,
  type PrimaryState,
  type Release,
  adoptionTags,
  holderTag,
  isAssociated,
  otherHolders,
  planRelease,
} from './ownership';
import { type RatePacer, UNPACED } from './rate-pacer';
import { NotAwaitedError, type RequestGuard } from './request-guard';
import { backoffDelayMs, sleep, withRetries } from './retry';

/** What one invocation gives the operations. */
export interface ConnectSession {
  readonly client: ConnectClient;
  /** CloudFormation's RequestId: the seed of the ClientTokens. */
  readonly requestId: string;
  /** The declaring resource, whose ownership mark this is (see ownership.ts). */
  readonly holder: Holder;
  /** Asked before every change; absent for the undoing of a change CloudFormation no longer waits for. */
  readonly guard?: RequestGuard;
  /** No attempt or wait is started that would run past it. */
  readonly deadline: Deadline;
  /** Aborts a call in flight at the deadline, so an endpoint that never answers cannot eat the time to answer. */
  readonly signal: AbortSignal;
  readonly retryPolicy: ConnectRetryPolicy;
  readonly retryPlan: ConnectRetryPlan;
  /** The worker's pace: every call waits for its slot, and tells how it was answered. */
  readonly pacer: Pick<RatePacer, 'reserve' | 'served' | 'throttled'>;
  /** Counts every request sent, retries and state checks included. */
  readonly counter: { attempts: number };
}

/** A Connect call that failed for good; the message is ready to be a Reason. */
export class ConnectOperationError extends Error {
  constructor(
    message: string,
    /** The SDK's error, which decides what the failure means. */
    readonly cause: unknown,
  ) {
    super(message);
    this.name = 'ConnectOperationError';
  }
}

/** A refusal the state did not explain, while the contention window is open. */
class UnexplainedRefusal extends Error {
  constructor(readonly refusal: ConnectOperationError) {
    super(refusal.message);
  }
}

/** What an associate may ask before it records an adoption. */
export interface AssociateOptions {
  /**
   * Whether the declaration holds the association already, however it is recorded (a rollback
   * asking back for what the resource held): then it records nothing more.
   */
  readonly heldAlready?: () => Promise<boolean>;
}

/** made: this call associated the pair; adopted: it was associated already. */
export type Association = 'made' | 'adopted';

/** A release as carried out, with the primary's ARN for taking the marks off. */
export interface ReleaseOutcome extends Release {
  readonly primaryArn?: string;
}

export class AliasOperations {
  constructor(private readonly session: ConnectSession) {}

  /**
   * Makes the alias forward to the primary. When it does already, the declaration adopts the
   * association and marks itself as a holder; a restore only puts back what this request removed.
   */
  async associate(pair: AliasPair, purpose: Extract<TokenPurpose, 'associate' | 'restore'> = 'associate', options: AssociateOptions = {}): Promise<Association> {
    const input = this.aliasInput(pair, purpose);
    return this.untilExplained(pair, async () => {
      try {
        await this.call('AssociateEmailAddressAlias', describePair(pair), (abortSignal) =>
          this.session.client.send(new AssociateEmailAddressAliasCommand(input), { abortSignal }),
        );
        return 'made';
      } catch (error) {
        const refusal = refusalOf(error);
        const primary = await this.describe(pair, refusal);
        if (primary && isAssociated(primary, pair.aliasId)) {
          if (purpose === 'associate' && !(await options.heldAlready?.())) {
            await this.tag(primary, adoptionTags(primary, pair.aliasId, this.session.holder));
          }
          return 'adopted';
        }
        const broken = primary ? await this.brokenRule(pair, primary, refusal) : 'The primary email address or its instance does not exist.';
        if (broken) {
          throw new ConnectOperationError(`${refusal.message} ${broken}`, refusal.cause);
        }
        throw new UnexplainedRefusal(refusal);
      }
    });
  }

  /**
   * The declaration goes away: the association is removed only if no other holder is left.
   * Marks are not taken off here (see `forget`), so a failed Update can still restore.
   */
  async release(pair: AliasPair, { removeNothing = false }: { readonly removeNothing?: boolean } = {}): Promise<ReleaseOutcome> {
    const primary = await this.describe(pair);
    if (primary === undefined) {
      return { action: 'absent', untag: [] };
    }
    const planned = planRelease(primary, pair.aliasId, this.session.holder, await this.goneHolders(primary, pair));
    // A declaration that made nothing takes only its marks off, and leaves the association to its holders.
    const release = removeNothing && planned.action === 'remove' ? { ...planned, action: 'keep' as const } : planned;
    const outcome = { ...release, primaryArn: primary.arn };
    if (release.action !== 'remove') {
      return outcome;
    }
    const input = this.aliasInput(pair, 'disassociate');
    const removed = await this.untilExplained(pair, async () => {
      try {
        await this.call('DisassociateEmailAddressAlias', describePair(pair), (abortSignal) =>
          this.session.client.send(new DisassociateEmailAddressAliasCommand(input), { abortSignal }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConnectOperationError && isNotFound(error.cause)) {
          return false;
        }
        const refusal = refusalOf(error);
        const now = await this.describe(pair, refusal);
        if (!now || !isAssociated(now, pair.aliasId)) {
          return false;
        }
        throw new UnexplainedRefusal(refusal);
      }
    });
    return removed ? outcome : { ...outcome, action: 'absent' };
  }

  /** The same operations with another deadline, e.g. one that keeps time back for a restore. */
  withDeadline(deadline: Deadline): AliasOperations {
    return new AliasOperations({ ...this.session, deadline });
  }

  /** The same operations without the guard: for taking back what was made for a request no longer awaited. */
  unguarded(): AliasOperations {
    return new AliasOperations({ ...this.session, guard: undefined });
  }

  /**
   * For putting back what this request removed: whether or not CloudFormation still waits (it is
   * what the resource held before), and without waiting behind the worker's pace.
   */
  forRestore(): AliasOperations {
    return new AliasOperations({ ...this.session, guard: undefined, pacer: UNPACED });
  }

  /**
   * The tags of the other holders of this stack that CloudFormation no longer lists: only read
   * when there are such marks, so the common release costs no extra call.
   */
  private async goneHolders(primary: PrimaryState, pair: AliasPair): Promise<string[]> {
    const { guard, holder } = this.session;
    const checkable = otherHolders(primary, pair.aliasId, holder).flatMap((other) => other.sameStackLogicalId ?? []);
    if (!guard || checkable.length === 0) {
      return [];
    }
    const gone = await guard.goneLogicalIds(checkable);
    return gone.map((logicalResourceId) => holderTag({ stackId: holder.stackId, logicalResourceId }));
  }

  /** Takes this declaration's marks off the primary, once its release is done. */
  async forget(release: ReleaseOutcome): Promise<void> {
    if (release.untag.length === 0 || release.primaryArn === undefined) {
      return;
    }
    const input = { resourceArn: release.primaryArn, tagKeys: [...release.untag] };
    await this.call('UntagResource', release.primaryArn, (abortSignal) =>
      this.session.client.send(new UntagResourceCommand(input), { abortSignal }),
    );
  }

  private async tag(primary: PrimaryState, tags: Record<string, string>): Promise<void> {
    if (Object.keys(tags).length === 0) {
      return;
    }
    const input = { resourceArn: primary.arn, tags };
    await this.call('TagResource', primary.arn, (abortSignal) =>
      this.session.client.send(new TagResourceCommand(input), { abortSignal }),
    );
  }

  /**
   * The rule of the service that the pair breaks, as the state shows it, or undefined when the
   * state explains nothing. Connect cannot say so itself in any documented way.
   */
  private async brokenRule(pair: AliasPair, primary: PrimaryState, refusal: ConnectOperationError): Promise<string | undefined> {
    const other = primary.aliases.find((id) => !sameEmailAddress(id, pair.aliasId));
    if (other !== undefined) {
      return (
        `Email address ${pair.primaryId} already has the alias ${other}, and an address has at most one alias: ` +
        'remove that association first, or declare that alias instead.'
      );
    }
    const alias = await this.describe({ ...pair, primaryId: pair.aliasId }, refusal);
    if (alias === undefined) {
      return `The alias email address ${pair.aliasId} does not exist in instance ${pair.instanceId}.`;
    }
    if (alias.aliases.length > 0) {
      return (
        `Email address ${pair.aliasId} has an alias of its own (${alias.aliases.join(', ')}), and aliases do not ` +
        'chain: remove that association first, or make that address forward to the primary directly.'
      );
    }
    return undefined;
  }

  /**
   * Runs `attempt` again while it meets refusals the state does not explain, for the contention
   * window at most; then fails saying so.
   */
  private async untilExplained<T>(pair: AliasPair, attempt: () => Promise<T>): Promise<T> {
    const { deadline, retryPolicy } = this.session;
    const started = Date.now();
    let attempts = 0;
    try {
      return await withRetries(
        () => {
          attempts++;
          return attempt();
        },
        {
          policy: retryPolicy.backoff,
          deadline,
          isTransient: (error) => error instanceof UnexplainedRefusal && Date.now() - started < retryPolicy.contentionWindowMs,
          // The last wait ends with the window, so a refusal that persists fails soon after it.
          delayFor: (_error, retry) =>
            withinWindow(backoffDelayMs(retry, retryPolicy.backoff), started, retryPolicy.contentionWindowMs, Date.now()),
        },
      );
    } catch (error) {
      if (!(error instanceof UnexplainedRefusal)) {
        throw error;
      }
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      throw new ConnectOperationError(
        `${error.refusal.message} Refused ${attempts} times over ${seconds} s, and the state does not explain it: ` +
          `another operation may hold these addresses (Connect locks them while it changes them), ${pair.aliasId} ` +
          `may already be the alias of another address, or ${pair.primaryId} may itself be an alias.`,
        error.refusal.cause,
      );
    }
  }

  /**
   * DescribeEmailAddress of `pair.primaryId`: its aliases and marks, or undefined when it or its
   * instance does not exist. `refusal` is the failure being classified, if any: should the check
   * fail too, both are reported.
   */
  private async describe(pair: AliasPair, refusal?: ConnectOperationError): Promise<PrimaryState | undefined> {
    const input = { InstanceId: pair.instanceId, EmailAddressId: pair.primaryId };
    try {
      const output = await this.call(
        'DescribeEmailAddress',
        `instance ${pair.instanceId}, email address ${pair.primaryId}`,
        (abortSignal) => this.session.client.send(new DescribeEmailAddressCommand(input), { abortSignal }),
      );
      return {
        arn: output.EmailAddressArn ?? '',
        aliases: (output.AliasConfigurations ?? []).flatMap((alias) => alias.EmailAddressId ?? []),
        tags: output.Tags ?? {},
      };
    } catch (error) {
      if (error instanceof ConnectOperationError && isNotFound(error.cause)) {
        return undefined;
      }
      if (refusal === undefined) {
        throw error;
      }
      throw new ConnectOperationError(`${refusal.message} Checking the state failed as well: ${errorMessage(error)}`, refusal.cause);
    }
  }

  private aliasInput(pair: AliasPair, purpose: TokenPurpose) {
    return {
      InstanceId: pair.instanceId,
      EmailAddressId: pair.primaryId,
      AliasConfiguration: { EmailAddressId: pair.aliasId },
      ClientToken: clientToken(this.session.requestId, purpose, pair),
    };
  }

  /**
   * Sends with retries; a final failure becomes a ConnectOperationError naming the call. Every
   * attempt of a change first makes sure CloudFormation still waits, since a retry follows a wait.
   */
  private async call<T>(operation: string, target: string, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    const { counter, deadline, guard, pacer, retryPolicy, retryPlan, signal } = this.session;
    const changes = operation !== 'DescribeEmailAddress';
    let attempts = 0;
    let firstDeniedAt: number | undefined;
    try {
      return await withRetries(
        async () => {
          // The pace never leaves an attempt less than it needs before the deadline: the last one
          // goes a little early rather than not at all, and fails in time to be answered.
          await sleep(Math.min(pacer.reserve(), Math.max(0, deadline.remainingMs() - retryPolicy.backoff.minAttemptMs)));
          if (changes) await guard?.beforeChange();
          attempts++;
          counter.attempts++;
          try {
            const output = await send(signal);
            pacer.served();
            return output;
          } catch (error) {
            if (isThrottling(error)) pacer.throttled();
            throw error;
          }
        },
        {
          policy: retryPolicy.backoff,
          deadline,
          isTransient: (error) => {
            if (isAccessDenied(error)) {
              firstDeniedAt ??= Date.now();
            }
            return retryPlan.isTransient(error, firstDeniedAt, Date.now());
          },
          delayFor: (error, retry) => retryPlan.delayFor(error, retry, firstDeniedAt, Date.now()),
        },
      );
    } catch (error) {
      if (error instanceof NotAwaitedError) {
        throw error;
      }
      const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
      const outOfTime =
        isThrottling(error) || isServerOrNetworkFault(error) ? ' (no time left to retry before the deadline)' : '';
      throw new ConnectOperationError(`${operation}(${target}) failed${tries}${outOfTime}: ${describeError(error)}`, error);
    }
  }
}

/** The refusal to classify, or the error itself when it is something else. */
function refusalOf(error: unknown): ConnectOperationError {
  if (error instanceof ConnectOperationError && isRefusal(error.cause)) {
    return error;
  }
  throw error;
}
