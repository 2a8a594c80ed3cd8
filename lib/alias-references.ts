import { Fn, Stack, Token } from 'aws-cdk-lib';
import {
  ArnEnvironment,
  ConnectReferenceError,
  NamedReference,
  findCommonTarget,
  parseEmailAddressReference,
  parseInstanceReference,
} from './connect-reference';
import { AliasResourceProperties } from './resource-properties';
import { DeclaredAlias, TOKEN_KEY_PREFIX } from './stack-alias-rules';

/** The three references of one alias, as the user gave them (ID, ARN or token). */
export interface AliasReferences {
  readonly instanceId?: string;
  readonly emailAddressId: string;
  readonly aliasEmailAddressId: string;
}

/** The references of one alias, checked and ready for the template. */
export interface ResolvedAliasReferences {
  /** The custom resource's properties. */
  readonly properties: AliasResourceProperties;
  /**
   * The plain instance ID for the handler's IAM policy: a literal when any reference
   * names the instance, otherwise a CloudFormation expression over the `instanceId` token.
   */
  readonly policyInstanceId: string;
}

/**
 * Checks the references of one alias as far as synthesis can (tokens are accepted
 * unchecked) and works out the instance. Throws `ConnectReferenceError` naming the
 * property and the fix.
 */
export function resolveAliasReferences(stack: Stack, references: AliasReferences): ResolvedAliasReferences {
  const instance = parseLiteral(references.instanceId, 'instanceId', parseInstanceReference);
  const addresses = [
    parseLiteral(references.emailAddressId, 'emailAddressId', parseEmailAddressReference),
    parseLiteral(references.aliasEmailAddressId, 'aliasEmailAddressId', parseEmailAddressReference),
  ].filter((reference): reference is NamedReference => reference !== undefined);

  const target = findCommonTarget(instance, addresses);
  checkDistinctAddresses(stack, references, addresses);
  checkStackEnvironment(stack, [...(instance ? [instance] : []), ...addresses]);

  const instanceId = references.instanceId ?? target.instanceId;
  if (instanceId === undefined) {
    // A token address may resolve to a plain ID, which does not name the instance:
    // asking here is better than a deploy that fails on an Fn::Select out of range.
    throw new ConnectReferenceError(
      'instanceId is required when neither emailAddressId nor aliasEmailAddressId is a literal ARN: ' +
        'give the instance ID or instance ARN (for an address made with CfnEmailAddress, its instanceArn).',
    );
  }
  return {
    properties: {
      InstanceId: instanceId,
      EmailAddressId: references.emailAddressId,
      AliasEmailAddressId: references.aliasEmailAddressId,
    },
    policyInstanceId: target.instanceId ?? instanceIdOfToken(instanceId),
  };
}

function parseLiteral(
  value: string | undefined,
  propertyName: string,
  parse: typeof parseInstanceReference,
): NamedReference | undefined {
  if (value === undefined || Token.isUnresolved(value)) {
    return undefined;
  }
  const reference = parse(value, propertyName);
  for (const id of [reference.id, reference.arn?.instanceId]) {
    if (id !== undefined) checkIdCharacters(id, value, propertyName);
  }
  return { propertyName, reference };
}

/**
 * Amazon Connect's IDs are printable ASCII (UUIDs, as the console and the API show them). A
 * character outside it is most likely a placeholder or a shortened ID pasted as it is (`1111…`),
 * which would otherwise reach the handler's IAM policy and fail only at deploy. Checked here,
 * at synthesis, and not in the handler's parsing, which must still delete whatever an alias
 * was deployed with.
 */
function checkIdCharacters(id: string, value: string, propertyName: string): void {
  const [character] = /[^\x21-\x7e]/u.exec(id) ?? [];
  if (character === undefined) {
    return;
  }
  const codePoint = `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  throw new ConnectReferenceError(
    `${propertyName} ("${value}") contains "${character}" (${codePoint}), which no Amazon Connect ID has: give the whole ID ` +
      'as Amazon Connect shows it (plain ASCII, such as 11111111-2222-3333-4444-555555555555), not a shortened or placeholder one.',
  );
}

/** An address cannot be its own alias; two tokens that resolve alike are caught too. */
function checkDistinctAddresses(stack: Stack, references: AliasReferences, literals: NamedReference[]): void {
  const sameLiteral = literals.length === 2 && literals[0].reference.id === literals[1].reference.id;
  const [primary, alias] = [references.emailAddressId, references.aliasEmailAddressId].map((value) =>
    JSON.stringify(stack.resolve(value)),
  );
  if (sameLiteral || primary === alias) {
    throw new ConnectReferenceError(
      `emailAddressId ("${references.emailAddressId}") and aliasEmailAddressId ("${references.aliasEmailAddressId}") ` +
        'name the same email address: an address cannot be its own alias; make aliasEmailAddressId another address of the instance.',
    );
  }
}

/** The handler calls Amazon Connect in its own account and region: ARNs must point there. */
function checkStackEnvironment(stack: Stack, references: NamedReference[]): void {
  // findCommonTarget has already made every ARN agree, so the first one speaks for all.
  const named = references.find((reference) => reference.reference.arn !== undefined);
  const arn = named?.reference.arn;
  if (!named || !arn) {
    return;
  }
  // The region implies the partition, and a stack's partition is a token anyway.
  const differences = (['region', 'account'] as const satisfies ReadonlyArray<keyof ArnEnvironment>)
    .filter((key) => !Token.isUnresolved(stack[key]) && stack[key] !== arn[key])
    .map((key) => `${key} ${arn[key]} instead of the stack's ${stack[key]}`);
  if (differences.length > 0) {
    throw new ConnectReferenceError(
      `${named.propertyName} points to ${differences.join(', ')}: the handler calls Amazon Connect in the ` +
        "stack's own account and region; declare the alias in a stack deployed there.",
    );
  }
}

/**
 * The plain instance ID from a token that may resolve to an ID or to an instance ARN.
 * Joining the value to itself with ":instance/" and splitting on that separator puts
 * the ID at index 1 either way: "id:instance/id" gives [id, id], and
 * "arn:…:instance/id:instance/arn:…:instance/id" gives [arn:…, id, arn:…, id].
 */
function instanceIdOfToken(instance: string): string {
  const separator = ':instance/';
  return Fn.select(1, Fn.split(separator, Fn.join(separator, [instance, instance])));
}

/**
 * The alias's instance and addresses for the stack-wide rules: plain IDs where literal, and
 * where a token, its resolved expression, which is the same wherever the same token is used.
 */
export function declaredIds(
  stack: Stack,
  properties: AliasResourceProperties,
  policyInstanceId: string,
): Omit<DeclaredAlias, 'path'> {
  const idOf = (value: string, propertyName: string, parse: typeof parseInstanceReference) =>
    Token.isUnresolved(value) ? `${TOKEN_KEY_PREFIX}${JSON.stringify(stack.resolve(value))}` : parse(value, propertyName).id;
  return {
    instance: idOf(policyInstanceId, 'instanceId', parseInstanceReference),
    primary: idOf(properties.EmailAddressId, 'emailAddressId', parseEmailAddressReference),
    alias: idOf(properties.AliasEmailAddressId, 'aliasEmailAddressId', parseEmailAddressReference),
  };
}
