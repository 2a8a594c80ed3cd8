/**
 * What the public API's TSDoc lacks: every exported declaration and public member needs a
 * description, and every optional prop a `@default` (a required one must not have one, it
 * would suggest the prop can be left out). Users read these in their editor and in API.md.
 */
import type { ApiDeclaration, ApiMember } from './public-api';

export function findDocumentationGaps(declarations: ApiDeclaration[]): string[] {
  return declarations.flatMap((declaration) => [
    ...(declaration.docs.summary ? [] : [`${declaration.name}: no description`]),
    ...declaration.members.flatMap((member) => memberGaps(declaration, member)),
  ]);
}

function memberGaps(declaration: ApiDeclaration, member: ApiMember): string[] {
  const where = `${declaration.name}.${member.name}`;
  const gaps = member.docs.summary ? [] : [`${where}: no description`];
  if (declaration.kind !== 'interface') return gaps;
  const hasDefault = member.docs.tags.some((tag) => tag.name === 'default' && tag.text !== '');
  if (member.optional && !hasDefault) gaps.push(`${where}: optional but no @default`);
  if (!member.optional && hasDefault) gaps.push(`${where}: required but has a @default`);
  return gaps;
}
