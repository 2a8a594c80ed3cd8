/**
 * CloudFormation custom-resource events for one alias, shaped as CloudFormation sends them.
 */
import { randomUUID } from 'node:crypto';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { ALIAS_RESOURCE_TYPE, AliasResourceProperties } from '../lib/resource-properties';
import { INSTANCE_ID, TEST_ENVIRONMENT as ENVIRONMENT } from '../test/fixtures/environment';
import { AliasPair } from './fixtures';

export type AliasEvent = CloudFormationCustomResourceEvent<AliasResourceProperties & { ServiceToken: string }>;

const FUNCTION_ARN = `arn:aws:lambda:${ENVIRONMENT.region}:${ENVIRONMENT.account}:function:alias-handler`;
const STACK_ID = `arn:aws:cloudformation:${ENVIRONMENT.region}:${ENVIRONMENT.account}:stack/Aliases/${randomUUID()}`;

/** Everything but the request type; `responseUrl` maps a RequestId to where the answer goes. */
export class EventFactory {
  constructor(private readonly responseUrl: (requestId: string) => string) {}

  create(pair: AliasPair): AliasEvent {
    return { ...this.common(pair), RequestType: 'Create' };
  }

  /** `serviceToken` differs from the default when the provider function itself was replaced. */
  update(physicalResourceId: string, from: AliasPair, to: AliasPair, serviceToken = FUNCTION_ARN): AliasEvent {
    const common = this.common(to, serviceToken);
    return {
      ...common,
      RequestType: 'Update',
      PhysicalResourceId: physicalResourceId,
      OldResourceProperties: this.common(from).ResourceProperties,
    };
  }

  delete(physicalResourceId: string, pair: AliasPair): AliasEvent {
    return { ...this.common(pair), RequestType: 'Delete', PhysicalResourceId: physicalResourceId };
  }

  private common(pair: AliasPair, serviceToken = FUNCTION_ARN) {
    const requestId = randomUUID();
    return {
      ServiceToken: serviceToken,
      ResponseURL: this.responseUrl(requestId),
      StackId: STACK_ID,
      RequestId: requestId,
      LogicalResourceId: 'Alias',
      ResourceType: ALIAS_RESOURCE_TYPE,
      ResourceProperties: {
        ServiceToken: serviceToken,
        InstanceId: INSTANCE_ID,
        EmailAddressId: pair.emailAddressId,
        AliasEmailAddressId: pair.aliasEmailAddressId,
      },
    };
  }
}

/** A replacement function's ARN, for an Update that changes nothing about the alias. */
export const REPLACED_FUNCTION_ARN = `${FUNCTION_ARN}-replaced`;
