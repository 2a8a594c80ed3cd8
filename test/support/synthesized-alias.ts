import { App, Stack } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { join } from 'node:path';
import { EmailAddressAlias, EmailAddressAliasProps } from '../../lib';
import { TEST_ENVIRONMENT } from '../fixtures/environment';
import { LambdaFunctionDefinition } from './lambda-process';

/** One alias custom resource as CloudFormation would deliver it, and the function behind it. */
export interface SynthesizedAlias {
  readonly logicalResourceId: string;
  readonly resourceType: string;
  /** The template's Properties with every value resolved and scalars made strings, as in the event. */
  readonly resourceProperties: Record<string, unknown>;
  /** The function the ServiceToken names; its asset directory is inside the cloud assembly. */
  readonly handler: LambdaFunctionDefinition;
}

type Template = { Resources: Record<string, { Type: string; Properties: Record<string, any> }> };

/**
 * Synthesizes a stack holding one EmailAddressAlias into `outdir` and reads back, from the
 * template and the asset manifest, what CloudFormation and Lambda would be given.
 */
export function synthesizeAlias(props: EmailAddressAliasProps, outdir: string): SynthesizedAlias {
  const app = new App({ outdir });
  const stack = new Stack(app, 'AliasStack', { env: TEST_ENVIRONMENT });
  new EmailAddressAlias(stack, 'Alias', props);
  const assembly = app.synth();
  const artifact = assembly.getStackArtifact(stack.artifactId);
  const template: Template = artifact.template;

  const [logicalResourceId, resource] = only(
    Object.entries(template.Resources).filter(([, candidate]) => candidate.Type.startsWith('Custom::')),
    'custom resource',
  );
  const { ServiceToken, ...properties } = resource.Properties;
  const functionLogicalId = ServiceToken?.['Fn::GetAtt']?.[0];
  const fn = template.Resources[functionLogicalId];
  if (fn?.Type !== 'AWS::Lambda::Function') {
    throw new Error(`ServiceToken ${JSON.stringify(ServiceToken)} does not point at a Lambda function of the stack`);
  }
  const functionArn = `arn:${TEST_ENVIRONMENT.partition}:lambda:${TEST_ENVIRONMENT.region}:${TEST_ENVIRONMENT.account}:function:${functionLogicalId}`;
  return {
    logicalResourceId,
    resourceType: resource.Type,
    // CloudFormation hands the function its own ARN as ServiceToken, and every scalar as a string.
    resourceProperties: asDelivered({ ServiceToken: functionArn, ...properties }),
    handler: { functionArn, assetDirectory: assetDirectoryOf(artifact, fn.Properties.Code), handlerSetting: fn.Properties.Handler },
  };
}

/** Finds the file asset whose S3 object is the function's Code, in the stack's asset manifest. */
export function assetDirectoryOf(stack: cxapi.CloudFormationStackArtifact, code: { S3Key?: unknown }): string {
  const manifest = only(stack.dependencies.filter(cxapi.AssetManifestArtifact.isAssetManifestArtifact), 'asset manifest');
  const [, asset] = only(
    Object.entries(manifest.contents.files ?? {}).filter(([, file]) =>
      Object.values(file.destinations).some((destination) => destination.objectKey === code.S3Key),
    ),
    `file asset with object key ${JSON.stringify(code.S3Key)}`,
  );
  if (asset.source.packaging !== 'zip' || !asset.source.path) {
    throw new Error(`The function's code asset is not a zipped directory: ${JSON.stringify(asset.source)}`);
  }
  return join(stack.assembly.directory, asset.source.path);
}

/** A template value as CloudFormation delivers it to a custom resource or a function: scalars as strings. */
export function asDelivered(value: unknown): any {
  if (Array.isArray(value)) return value.map(asDelivered);
  if (value !== null && typeof value === 'object') {
    if (Object.keys(value).some((key) => key.startsWith('Fn::') || key === 'Ref')) {
      throw new Error(`Unresolved expression in the custom resource's properties: ${JSON.stringify(value)}`);
    }
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, asDelivered(inner)]));
  }
  return String(value);
}

function only<T>(items: T[], what: string): T {
  if (items.length !== 1) throw new Error(`Expected one ${what} in the synthesized stack, found ${items.length}`);
  return items[0];
}
