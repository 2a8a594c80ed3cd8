/**
 * The finding ID that cdk-nag gives a policy resource, so that its rules can be
 * acknowledged for exactly that resource without importing cdk-nag (a development tool
 * of the user's, not a dependency of this library). Follows cdk-nag's flattenCfnReference
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
