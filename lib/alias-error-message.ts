/**
 * The one form of every error the construct raises at synthesis, about one alias's props or
 * about the aliases of a stack together: `EmailAddressAlias <construct path>: <what and the fix>`.
 * The path leads to the declaration to change: the alias's, or the stack's when no one alias is
 * to blame.
 */
export function aliasErrorMessage(path: string, message: string): string {
  return `EmailAddressAlias ${path}: ${message}`;
}
