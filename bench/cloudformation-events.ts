/**
 * The tests' CloudFormation events (test/fixtures/cloudformation-events) for the benchmark's
 * alias pairs, each answering on the receiver URL of its own request.
 */
import { randomUUID } from 'node:crypto';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import type { AliasResourceProperties } from '../lib/resource-properties';
import { createEvent, deleteEvent, SERVICE_TOKEN, updateEvent } from '../test/fixtures/cloudformation-events';
import type { AliasPair } from './fixtures';

export type AliasEvent = CloudFormationCustomResourceEvent<AliasResourceProperties & { ServiceToken: string }>;

/** A replacement function's ARN, for an Update that changes nothing about the alias. */
export const REPLACED_FUNCTION_ARN = `${SERVICE_TOKEN}-replaced`;

/**
 * Everything but the request type; `responseUrl` maps a RequestId to where the answer goes, and
 * `sent` sees each event as CloudFormation sends it (to show its resource waiting for it).
 */
export class EventFactory {
  constructor(
    private readonly responseUrl: (requestId: string) => string,
    private readonly sent: (event: AliasEvent) => void = () => undefined,
  ) {}

  create(pair: AliasPair): AliasEvent {
    return this.send(createEvent(this.common(pair)) as AliasEvent);
  }

  /** `serviceToken` differs from the default when the provider function itself was replaced. */
  update(physicalResourceId: string, from: AliasPair, to: AliasPair, serviceToken?: string): AliasEvent {
    return this.send(updateEvent({ ...this.common(to), physicalResourceId, oldProperties: properties(from), serviceToken }) as AliasEvent);
  }

  delete(physicalResourceId: string, pair: AliasPair): AliasEvent {
    return this.send(deleteEvent({ ...this.common(pair), physicalResourceId }) as AliasEvent);
  }

  private send(event: AliasEvent): AliasEvent {
    this.sent(event);
    return event;
  }

  private common(pair: AliasPair) {
    const requestId = randomUUID();
    return { requestId, responseUrl: this.responseUrl(requestId), properties: properties(pair) };
  }
}

/** In the tests' instance (the events' default InstanceId). */
function properties(pair: AliasPair): Partial<AliasResourceProperties> {
  return { EmailAddressId: pair.emailAddressId, AliasEmailAddressId: pair.aliasEmailAddressId };
}
