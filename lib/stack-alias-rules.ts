/**
 * Amazon Connect's rules that span the aliases of a stack, checked at synthesis: Connect would
 * refuse such a stack only at deploy time, halfway through, and roll it back. Each error is
 * about the alias declared second, and names the first too, and the fix.
 */
import { aliasErrorMessage } from './alias-error-message';

/** A token's stand-in in DeclaredAlias: its resolved expression, the same for the same token. */
export const TOKEN_KEY_PREFIX = 'token:';

/** One alias as the stack declares it: plain IDs where literal, a token's key where a token. */
export interface DeclaredAlias {
  readonly path: string;
  readonly instance: string;
  readonly primary: string;
  readonly alias: string;
}

/** The errors of the stack's aliases taken together; empty when there are none. */
export function stackAliasErrors(aliases: ReadonlyArray<DeclaredAlias>): string[] {
  const errors = letterCaseErrors(aliases);
  const byPair = new Map<string, DeclaredAlias>();
  const primaryOf = new Map<string, DeclaredAlias>();
  const aliasOf = new Map<string, DeclaredAlias>();
  for (const declared of aliases) {
    const [primary, alias] = [address(declared, declared.primary), address(declared, declared.alias)];
    const pair = `${primary}\n${alias}`;
    const twin = byPair.get(pair);
    if (twin) {
      errors.push(
        aliasErrorMessage(
          declared.path,
          `${twin.path} and ${declared.path} both make ${declared.alias} an alias of ${declared.primary}: declare each ` +
            'association once (to move it to another construct, rename or move the construct instead).',
        ),
      );
      continue;
    }
    byPair.set(pair, declared);
    const otherPrimary = primaryOf.get(alias);
    if (otherPrimary) {
      errors.push(
        aliasErrorMessage(
          declared.path,
          `${otherPrimary.path} makes ${declared.alias} forward to ${otherPrimary.primary}, and ${declared.path} to ` +
            `${declared.primary}: an address forwards to one primary at most; keep one of the two.`,
        ),
      );
    }
    const otherAlias = aliasOf.get(primary);
    if (otherAlias) {
      errors.push(
        aliasErrorMessage(
          declared.path,
          `${otherAlias.path} gives ${declared.primary} the alias ${otherAlias.alias}, and ${declared.path} the alias ` +
            `${declared.alias}: an address has at most one alias; keep one of the two.`,
        ),
      );
    }
    primaryOf.set(alias, declared);
    aliasOf.set(primary, declared);
  }
  for (const declared of aliases) {
    const chained = aliasOf.get(address(declared, declared.alias));
    if (chained) {
      errors.push(
        aliasErrorMessage(
          later(declared, chained, aliases).path,
          `${declared.path} makes ${declared.alias} an alias, and ${chained.path} gives it the alias ${chained.alias}: ` +
            `aliases do not chain; make ${chained.alias} forward to ${declared.primary} directly.`,
        ),
      );
    }
  }
  return errors;
}

/** Of two aliases, the one declared after the other. */
function later(first: DeclaredAlias, second: DeclaredAlias, aliases: ReadonlyArray<DeclaredAlias>): DeclaredAlias {
  return aliases.indexOf(first) > aliases.indexOf(second) ? first : second;
}

/** An address of the alias's instance; IDs compared regardless of letter case (see letterCaseErrors). */
function address(declared: DeclaredAlias, id: string): string {
  return `${declared.instance.toLowerCase()}/${id.toLowerCase()}`;
}

/**
 * The same ID in two spellings that differ only in letter case: most likely one address, which
 * Connect, comparing IDs exactly, would not take for the same.
 */
function letterCaseErrors(aliases: ReadonlyArray<DeclaredAlias>): string[] {
  const spellings = new Map<string, { id: string; path: string }>();
  const errors: string[] = [];
  for (const declared of aliases) {
    for (const id of [declared.instance, declared.primary, declared.alias]) {
      if (id.startsWith(TOKEN_KEY_PREFIX)) {
        continue;
      }
      const seen = spellings.get(id.toLowerCase());
      if (seen === undefined) {
        spellings.set(id.toLowerCase(), { id, path: declared.path });
      } else if (seen.id !== id) {
        errors.push(
          aliasErrorMessage(
            declared.path,
            `${seen.path} names "${seen.id}" and ${declared.path} names "${id}": the same ID in another letter case. ` +
              'Amazon Connect compares IDs exactly: write it as Connect shows it, the same everywhere.',
          ),
        );
      }
    }
  }
  return errors;
}
