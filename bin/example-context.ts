import { EmailAddressAliasProps } from '../lib';

/** The context keys the example app reads, each with what its value is. */
const KEYS = {
  instanceId: '<instance ID or ARN>',
  emailAddressId: '<primary address ID or ARN>',
  aliasEmailAddressId: '<alias address ID or ARN>',
} as const;

type Key = keyof typeof KEYS;

/** IDs that name nothing, so that a first `cdk synth` needs no account. */
const PLACEHOLDERS: Record<Key, string> = {
  instanceId: '11111111-2222-4333-8444-555555555555',
  emailAddressId: '66666666-7777-4888-9999-aaaaaaaaaaaa',
  aliasEmailAddressId: 'bbbbbbbb-cccc-4ddd-8eee-ffffffffffff',
};

// A context key this close to a known one (edits, ignoring case) is taken for a misspelling:
// left unchecked, it would fall back to a placeholder that `cdk deploy` then sends.
const MAX_MISSPELLING_DISTANCE = 3;

/** What the example app deploys, read from its context. */
export interface ExampleContext {
  readonly aliasProps: EmailAddressAliasProps;
  /** True when no key was given and the props are placeholders, which cannot be deployed. */
  readonly placeholders: boolean;
}

/** Context the example app cannot use; the message says what to pass instead. */
export class ExampleContextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExampleContextError';
  }
}

/** The `-c` options of the example app, for messages. */
export const CONTEXT_USAGE = (Object.keys(KEYS) as Key[]).map(option).join(' ');

/**
 * Reads the alias from the app's context (`-c key=value`, and cdk.json): placeholders when
 * none of the keys is given, otherwise the given values, of which none may be missing (except
 * `instanceId` when an address is an ARN, as in the construct) or misspelled.
 */
export function readExampleContext(context: Record<string, unknown>): ExampleContext {
  const misspelled = Object.keys(context).flatMap((given) => {
    const meant = misspellingOf(given);
    return meant ? [`-c ${given}= is not an option of the example app: did you mean -c ${meant}=?`] : [];
  });
  if (misspelled.length > 0) {
    throw new ExampleContextError(misspelled.join('\n'));
  }

  const given = (Object.keys(KEYS) as Key[]).filter((key) => context[key] !== undefined);
  if (given.length === 0) {
    return { aliasProps: PLACEHOLDERS, placeholders: true };
  }
  const values: Partial<Record<Key, string>> = {};
  for (const key of given) {
    const value = context[key];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ExampleContextError(`-c ${key}= is empty: give ${option(key)}.`);
    }
    values[key] = value.trim();
  }

  const addressIsArn = [values.emailAddressId, values.aliasEmailAddressId].some((value) => value?.startsWith('arn:'));
  const missing = (Object.keys(KEYS) as Key[]).filter(
    (key) => values[key] === undefined && !(key === 'instanceId' && addressIsArn),
  );
  if (missing.length > 0) {
    throw new ExampleContextError(
      `Missing ${missing.join(', ')}: give ${missing.map(option).join(' ')} ` +
        `(the example app takes ${CONTEXT_USAGE}; instanceId may be left out when an address is an ARN, ` +
        'and with no option at all it synthesizes placeholder IDs).',
    );
  }
  return {
    aliasProps: {
      instanceId: values.instanceId,
      emailAddressId: values.emailAddressId!,
      aliasEmailAddressId: values.aliasEmailAddressId!,
    },
    placeholders: false,
  };
}

function option(key: Key): string {
  return `-c ${key}=${KEYS[key]}`;
}

/** The known key that `given` is probably a misspelling of, if any. */
function misspellingOf(given: string): Key | undefined {
  if (Object.hasOwn(KEYS, given)) return undefined;
  return (Object.keys(KEYS) as Key[]).find(
    (key) => editDistance(given.toLowerCase(), key.toLowerCase()) <= MAX_MISSPELLING_DISTANCE,
  );
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
