import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * The oldest Node.js major the handler runs on: the AWS SDK it bundles needs Node.js 22 from
 * early 2027, and scripts/bundle-handler.ts builds the bundle for this major, so that every
 * runtime from it on can run the same file.
 */
export const MIN_NODEJS_MAJOR = 22;

/** The major of a Node.js runtime ("nodejs24.x" is 24), or undefined for any other runtime. */
export function nodejsMajor(runtime: lambda.Runtime): number | undefined {
  const major = /^nodejs(\d+)\.x$/.exec(runtime.name)?.[1];
  return runtime.family === lambda.RuntimeFamily.NODEJS && major !== undefined ? Number(major) : undefined;
}

/**
 * The newest Node.js runtime that the app's aws-cdk-lib defines, and never one older than
 * MIN_NODEJS_MAJOR. cdk-nag's AwsSolutions-L1 wants the newest runtime of its family that the
 * app's aws-cdk-lib knows, so a pinned default would fail it with each aws-cdk-lib release that
 * adds one. Read from `lambda.Runtime`'s static members rather than `Runtime.ALL`, which also
 * holds runtimes an app made itself; aliases that follow whatever is current (`NODEJS_LATEST`,
 * marked `isVariable`) are skipped, as they may lag behind the newest.
 */
export function newestNodejsRuntime(): lambda.Runtime {
  const members = Object.getOwnPropertyNames(lambda.Runtime).map((name) => (lambda.Runtime as unknown as Record<string, unknown>)[name]);
  let newest = { runtime: lambda.Runtime.NODEJS_22_X, major: MIN_NODEJS_MAJOR };
  for (const member of members) {
    const major = member instanceof lambda.Runtime && !member.isVariable ? nodejsMajor(member) : undefined;
    if (major !== undefined && major > newest.major) newest = { runtime: member as lambda.Runtime, major };
  }
  return newest.runtime;
}
