/**
 * Associating and disassociating one alias pair in Amazon Connect, with retries and with
 * the state checks that make both idempotent: a refusal that may only mean "already done" is
 * checked with DescribeEmailAddress before it counts, because the errors Connect gives for an
 * association that already exists, or one that does not, are not documented.
 */
import {
  AssociateEmailAddressAliasCommand,
  type ConnectClient,
  DescribeEmailAddressCommand,
  DisassociateEmailAddressAliasCommand,
} from '@aws-sdk/client-connect';
import { type AliasPair, describePair } from './alias-pair';
import { type TokenPurpose, clientToken } from './client-token';
import { describeError, errorMessage, isNotFound, isTransientConnectError, mayReflectState } from './connect-errors';
import type { Deadline } from './deadline';
import { type RetryPolicy, withRetries } from './retry';

/** What one invocation gives the operations. */
export interface ConnectSession {
  readonly client: ConnectClient;
  /** CloudFormation's RequestId: the seed of the ClientTokens. */
  readonly requestId: string;
  /** No attempt or wait is started that would run past it. */
  readonly deadline: Deadline;
  /** Aborts a call in flight at the deadline, so an endpoint that never answers cannot eat the time to answer. */
  readonly signal: AbortSignal;
  readonly retryPolicy: RetryPolicy;
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

/** What a disassociation found: the handler removed the association, or it was not there. */
export type Disassociation = 'removed' | 'absent';

export class AliasOperations {
  constructor(private readonly session: ConnectSession) {}

  /** Makes the alias forward to the primary; succeeds as well when it already does. */
  async associate(pair: AliasPair, purpose: Extract<TokenPurpose, 'associate' | 'restore'> = 'associate'): Promise<void> {
    const input = this.aliasInput(pair, purpose);
    try {
      await this.call('AssociateEmailAddressAlias', describePair(pair), (abortSignal) =>
        this.session.client.send(new AssociateEmailAddressAliasCommand(input), { abortSignal }),
      );
    } catch (error) {
      if (!(error instanceof ConnectOperationError) || !mayReflectState(error.cause)) {
        throw error;
      }
      const aliases = await this.aliasesOf(pair, error);
      if (!aliases?.includes(pair.aliasId)) {
        throw error;
      }
    }
  }

  /** Ends the forwarding; an association, address or instance that is already gone is fine. */
  async disassociate(pair: AliasPair): Promise<Disassociation> {
    const input = this.aliasInput(pair, 'disassociate');
    try {
      await this.call('DisassociateEmailAddressAlias', describePair(pair), (abortSignal) =>
        this.session.client.send(new DisassociateEmailAddressAliasCommand(input), { abortSignal }),
      );
      return 'removed';
    } catch (error) {
      if (!(error instanceof ConnectOperationError)) {
        throw error;
      }
      if (isNotFound(error.cause)) {
        return 'absent';
      }
      if (!mayReflectState(error.cause)) {
        throw error;
      }
      const aliases = await this.aliasesOf(pair, error);
      if (aliases?.includes(pair.aliasId)) {
        throw error;
      }
      return 'absent';
    }
  }

  /**
   * The aliases of the pair's primary, or undefined when the primary or its instance does not
   * exist. `refusal` is the failure being classified: if the check fails too, both are reported.
   */
  private async aliasesOf(pair: AliasPair, refusal: ConnectOperationError): Promise<string[] | undefined> {
    const input = { InstanceId: pair.instanceId, EmailAddressId: pair.primaryId };
    try {
      const output = await this.call(
        'DescribeEmailAddress',
        `instance ${pair.instanceId}, email address ${pair.primaryId}`,
        (abortSignal) => this.session.client.send(new DescribeEmailAddressCommand(input), { abortSignal }),
      );
      return (output.AliasConfigurations ?? []).flatMap((alias) => alias.EmailAddressId ?? []);
    } catch (error) {
      if (error instanceof ConnectOperationError && isNotFound(error.cause)) {
        return undefined;
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

  /** Sends with retries; a final failure becomes a ConnectOperationError naming the call. */
  private async call<T>(operation: string, target: string, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    const { counter, deadline, retryPolicy, signal } = this.session;
    let attempts = 0;
    try {
      return await withRetries(
        () => {
          attempts++;
          counter.attempts++;
          return send(signal);
        },
        { policy: retryPolicy, deadline, isTransient: isTransientConnectError },
      );
    } catch (error) {
      const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
      const outOfTime = isTransientConnectError(error) ? ' (no time left to retry before the deadline)' : '';
      throw new ConnectOperationError(`${operation}(${target}) failed${tries}${outOfTime}: ${describeError(error)}`, error);
    }
  }
}
