/**
 * Measures a synthesized CloudFormation template against the limits a deploy runs into.
 */
import { TEST_ENVIRONMENT } from '../test/fixtures/environment';

/** CloudFormation's quotas and IAM's inline policy quota (characters, whitespace not counted). */
export const LIMITS = {
  resourcesPerStack: 500,
  templateBytes: 1_000_000,
  inlinePolicyBytesPerRole: 10_240,
} as const;

export interface TemplateMetrics {
  readonly resources: number;
  readonly lambdaFunctions: number;
  /** The template file as the CLI uploads it. */
  readonly templateBytes: number;
  /** Inline policy characters on the role that carries the most, as IAM counts them. */
  readonly iamPolicyBytes: number;
  /** Each limit this template breaks, in words. */
  readonly limitsExceeded: string[];
}

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

export function measureTemplate(templateText: string): TemplateMetrics {
  const resources: Record<string, Resource> = JSON.parse(templateText).Resources ?? {};
  const all = Object.values(resources);
  const metrics = {
    resources: all.length,
    lambdaFunctions: all.filter((resource) => resource.Type === 'AWS::Lambda::Function').length,
    templateBytes: Buffer.byteLength(templateText),
    iamPolicyBytes: Math.max(0, ...inlinePolicyBytesPerRole(resources).values()),
  };
  return { ...metrics, limitsExceeded: describeExceeded(metrics) };
}

function describeExceeded(metrics: Omit<TemplateMetrics, 'limitsExceeded'>): string[] {
  const checks: Array<[number, number, string]> = [
    [metrics.resources, LIMITS.resourcesPerStack, 'resources per stack'],
    [metrics.templateBytes, LIMITS.templateBytes, 'template bytes'],
    [metrics.iamPolicyBytes, LIMITS.inlinePolicyBytesPerRole, 'inline policy characters per role'],
  ];
  return checks.filter(([value, limit]) => value > limit).map(([value, limit, what]) => `${what}: ${value} > ${limit}`);
}

/** Policies inside the role plus every AWS::IAM::Policy attached to it, keyed by the role's logical id. */
function inlinePolicyBytesPerRole(resources: Record<string, Resource>): Map<string, number> {
  const perRole = new Map<string, number>();
  const add = (role: string, document: unknown) =>
    perRole.set(role, (perRole.get(role) ?? 0) + JSON.stringify(resolvePseudo(document)).length);
  for (const [logicalId, resource] of Object.entries(resources)) {
    const properties = resource.Properties ?? {};
    if (resource.Type === 'AWS::IAM::Role') {
      for (const policy of (properties.Policies as Array<{ PolicyDocument: unknown }> | undefined) ?? []) {
        add(logicalId, policy.PolicyDocument);
      }
    }
    if (resource.Type === 'AWS::IAM::Policy') {
      for (const role of (properties.Roles as Array<{ Ref?: string }> | undefined) ?? []) {
        add(role.Ref ?? JSON.stringify(role), properties.PolicyDocument);
      }
    }
  }
  return perRole;
}

const PSEUDO_PARAMETERS: Record<string, string> = {
  'AWS::Partition': TEST_ENVIRONMENT.partition,
  'AWS::Region': TEST_ENVIRONMENT.region,
  'AWS::AccountId': TEST_ENVIRONMENT.account,
  'AWS::URLSuffix': 'amazonaws.com',
};

/**
 * Resolves what CloudFormation would before IAM sees the document: pseudo parameters and
 * Fn::Join over them. Any other intrinsic is left as written, which over-counts it slightly.
 */
function resolvePseudo(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(resolvePseudo);
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  if (keys.length === 1 && keys[0] === 'Ref' && typeof object.Ref === 'string' && object.Ref in PSEUDO_PARAMETERS) {
    return PSEUDO_PARAMETERS[object.Ref];
  }
  if (keys.length === 1 && keys[0] === 'Fn::Join') {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    const resolved = parts.map(resolvePseudo);
    if (resolved.every((part) => typeof part === 'string')) {
      return resolved.join(separator);
    }
  }
  return Object.fromEntries(keys.map((key) => [key, resolvePseudo(object[key])]));
}

/** How many aliases fit in one stack, and the limit that stops the next one. */
export interface AliasCapacity {
  readonly aliases: number;
  readonly limitedBy: string;
}

/**
 * Extrapolates from the smallest and largest measured N: each metric grows by the same
 * amount per alias (up to a few digits of ID length), so two points give the line.
 */
export function aliasCapacity(points: ReadonlyArray<TemplateMetrics & { readonly aliases: number }>): AliasCapacity {
  const sorted = [...points].sort((a, b) => a.aliases - b.aliases);
  const [first, last] = [sorted[0], sorted[sorted.length - 1]];
  const fits = (metric: (point: TemplateMetrics) => number, limit: number): number => {
    const perAlias = (metric(last) - metric(first)) / (last.aliases - first.aliases);
    const fixed = metric(first) - perAlias * first.aliases;
    return perAlias <= 0 ? Number.POSITIVE_INFINITY : Math.floor((limit - fixed) / perAlias);
  };
  const candidates: AliasCapacity[] = [
    { aliases: fits((point) => point.resources, LIMITS.resourcesPerStack), limitedBy: 'resources per stack' },
    { aliases: fits((point) => point.templateBytes, LIMITS.templateBytes), limitedBy: 'template size' },
    {
      aliases: fits((point) => point.iamPolicyBytes, LIMITS.inlinePolicyBytesPerRole),
      limitedBy: "the role's inline policy size",
    },
  ];
  return candidates.reduce((smallest, candidate) => (candidate.aliases < smallest.aliases ? candidate : smallest));
}
