import * as cdk from 'aws-cdk-lib';

/** One cdk-nag finding on one resource, acknowledged with a reason. */
export interface NagAcknowledgement {
  /** The rule, e.g. `AwsSolutions-IAM5`. */
  readonly ruleId: string;
  /** The finding within the rule, as {@link nagResourceFinding} writes it; none for a rule that reports the resource as a whole. */
  readonly finding?: string;
  /** Why the finding is acceptable. */
  readonly reason: string;
}

/**
 * Acknowledges one finding of one rule on `resource`, in the forms both cdk-nag majors read,
 * without importing cdk-nag (a development tool of the user's, not a dependency of this
 * library): cdk-nag 3 reads `Validations` acknowledgements, cdk-nag 2 the resource's `cdk_nag`
 * metadata, written as its `NagSuppressions.addResourceSuppressions` writes it.
 */
export function acknowledgeNagFinding(resource: cdk.CfnResource, { ruleId, finding, reason }: NagAcknowledgement): void {
  // Validations is newer than the oldest aws-cdk-lib supported; every version cdk-nag 3 accepts has it.
  const { Validations } = cdk as { Validations?: typeof cdk.Validations };
  Validations?.of(resource).acknowledge({ id: finding === undefined ? ruleId : `${ruleId}[${finding}]`, reason });

  const existing: { rules_to_suppress?: unknown[] } | undefined = resource.getMetadata('cdk_nag');
  const suppression = finding === undefined ? { id: ruleId, reason } : { id: ruleId, reason, applies_to: [finding] };
  resource.addMetadata('cdk_nag', { rules_to_suppress: [...(existing?.rules_to_suppress ?? []), suppression] });
}

/**
 * The finding ID that cdk-nag gives a policy resource, so that its rules can be
 * acknowledged for exactly that resource. Follows cdk-nag's flattenCfnReference
 * for the shapes this library writes: literals, Fn::Join and Ref become text and
 * `<Name>` placeholders, anything else its JSON.
 *
 * @param resource the resource as `Stack.resolve` renders it
 */
export function nagResourceFinding(resource: unknown): string {
  return `Resource::${flatten(resource)}`;
}

function flatten(node: unknown): string {
  if (typeof node === 'string') {
    return node;
  }
  const intrinsic = node as { 'Fn::Join'?: [string, unknown[]]; Ref?: string };
  if (intrinsic['Fn::Join']) {
    const [delimiter, items] = intrinsic['Fn::Join'];
    return items.map(flatten).join(delimiter);
  }
  if (intrinsic.Ref) {
    return `<${intrinsic.Ref}>`;
  }
  return JSON.stringify(node);
}
