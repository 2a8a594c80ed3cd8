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
  /**
   * The function that serves the ServiceToken: the one it names, or the one the event source
   * mapping of the topic's queue invokes. Its asset directory is inside the cloud assembly.
   */
  readonly handler: LambdaFunctionDefinition;
  /** The ServiceToken names the stack's topic: the requests reach the function from its queue. */
  readonly queued: boolean;
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
  const topicLogicalId: string | undefined = ServiceToken?.Ref;
  const functionLogicalId = topicLogicalId === undefined ? ServiceToken?.['Fn::GetAtt']?.[0] : functionServingTopic(template, topicLogicalId);
  const fn = template.Resources[functionLogicalId];
  if (fn?.Type !== 'AWS::Lambda::Function') {
    throw new Error(`ServiceToken ${JSON.stringify(ServiceToken)} does not lead to a Lambda function of the stack`);
  }
  const { partition, region, account } = TEST_ENVIRONMENT;
  const functionArn = `arn:${partition}:lambda:${region}:${account}:function:${functionLogicalId}`;
  const serviceToken = topicLogicalId === undefined ? functionArn : `arn:${partition}:sns:${region}:${account}:${topicLogicalId}`;
  return {
    logicalResourceId,
    resourceType: resource.Type,
    // CloudFormation hands the handler the ServiceToken's ARN, and every scalar as a string.
    resourceProperties: asDelivered({ ServiceToken: serviceToken, ...properties }),
    handler: { functionArn, assetDirectory: assetDirectoryOf(artifact, fn.Properties.Code), handlerSetting: fn.Properties.Handler },
    queued: topicLogicalId !== undefined,
  };
}

/** The function that the event source mapping of a queue subscribed to the topic invokes. */
function functionServingTopic(template: Template, topicLogicalId: string): string | undefined {
  const resources = Object.values(template.Resources);
  const queue = resources.find(
    (candidate) => candidate.Type === 'AWS::SNS::Subscription' && candidate.Properties.TopicArn?.Ref === topicLogicalId,
  )?.Properties.Endpoint?.['Fn::GetAtt']?.[0];
  const mapping = resources.find(
    (candidate) => candidate.Type === 'AWS::Lambda::EventSourceMapping' && candidate.Properties.EventSourceArn?.['Fn::GetAtt']?.[0] === queue,
  );
  return mapping?.Properties.FunctionName?.Ref;
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
