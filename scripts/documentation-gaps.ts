/**
 * What the public API's docs lack, read from the jsii assembly (`.jsii`, written by the build):
 * every exported type and public member needs a description, every optional prop a `@default`
 * (a required one must not have one: it would suggest the prop can be left out), and every
 * parameter a `@param`. Users read these in their editor, in API.md and on Construct Hub.
 */
import type * as spec from '@jsii/spec';

type Documented = { readonly name: string; readonly docs?: spec.Docs };

export function findDocumentationGaps(types: readonly spec.Type[]): string[] {
  return types.flatMap((type) => [...describedGaps(type.name, type), ...membersOf(type).flatMap((gap) => gap)]);
}

function membersOf(type: spec.Type): string[][] {
  if (type.kind === 'enum') return type.members.map((member) => describedGaps(`${type.name}.${member.name}`, member));
  const properties = (type.properties ?? []).map((property) => {
    const where = `${type.name}.${property.name}`;
    const gaps = describedGaps(where, property);
    if (type.kind !== 'interface' || !type.datatype) return gaps;
    const hasDefault = (property.docs?.default ?? '') !== '';
    if (property.optional && !hasDefault) gaps.push(`${where}: optional but no @default`);
    if (!property.optional && hasDefault) gaps.push(`${where}: required but has a @default`);
    return gaps;
  });
  const initializer = type.kind === 'class' && type.initializer ? [{ ...type.initializer, name: 'constructor' }] : [];
  const methods = [...initializer, ...(type.methods ?? [])].map((method) => [
    ...(method.name === 'constructor' ? [] : describedGaps(`${type.name}.${method.name}`, method)),
    ...(method.parameters ?? []).flatMap((parameter) => describedGaps(`${type.name}.${method.name}(${parameter.name})`, parameter)),
  ]);
  return [...properties, ...methods];
}

function describedGaps(where: string, element: Documented): string[] {
  return element.docs?.summary ? [] : [`${where}: no description`];
}
