import { spawn } from 'node:child_process';
import * as cxapi from 'aws-cdk-lib/cx-api';

/** What one run of a CDK app gave: its exit status, its output, and the assembly it wrote. */
export interface CdkAppRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The cloud assembly's directory (empty when the app failed before synthesis). */
  readonly outdir: string;
}

export interface CdkAppOptions {
  /** The directory the app runs in. */
  readonly cwd: string;
  /**
   * Where the app writes its cloud assembly: a folder of the test's own, which it removes
   * (aws-cdk-lib's jest-autoclean only removes the temporary folders aws-cdk-lib made itself).
   */
  readonly outdir: string;
  /** Context, as the CDK CLI hands it over from cdk.json and `-c key=value`. */
  readonly context?: Record<string, unknown>;
  /** Run a TypeScript entry point through tsx, as `npx tsx` does. */
  readonly typescript?: boolean;
  /**
   * Run aws-cdk-lib's built-in CloudFormation validation, as it runs in a user's app (strict
   * when the context sets `@aws-cdk/core:validateAgainstDefaultRules`). It costs seconds per
   * process, so the test run otherwise leaves it to the environment (see jest.config.js).
   *
   * @default false
   */
  readonly builtinValidation?: boolean;
  /** @default 60_000 */
  readonly timeoutMs?: number;
}

/**
 * Runs a CDK app in its own Node process the way the CDK CLI does: context in CDK_CONTEXT_JSON,
 * the output directory in CDK_OUTDIR (which makes the App synthesize when the program ends).
 * Asynchronous, so that several runs share the machine's cores.
 */
export function runCdkApp(entryPoint: string, options: CdkAppOptions): Promise<CdkAppRun> {
  const { outdir } = options;
  const args = [...(options.typescript ? ['--import', 'tsx'] : []), entryPoint];
  const { CDK_VALIDATION, ...environment } = process.env;
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: {
      ...environment,
      ...(options.builtinValidation ? {} : { CDK_VALIDATION }),
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify(options.context ?? {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.timeoutMs ?? 60_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr, outdir }));
  });
}

/** The templates of every stack in the assembly, nested stage assemblies included, by stack name. */
export function stackTemplates(outdir: string): Record<string, CloudFormationTemplate> {
  const assembly = new cxapi.CloudAssembly(outdir);
  return Object.fromEntries(assembly.stacksRecursively.map((stack) => [stack.stackName, stack.template]));
}

/**
 * The warnings and errors attached to the constructs of every stack in the assembly, as
 * "level path: message": what `cdk synth` prints after synthesis.
 */
export function assemblyMessages(outdir: string): string[] {
  const assembly = new cxapi.CloudAssembly(outdir);
  return assembly.stacksRecursively.flatMap((stack) =>
    stack.messages
      .filter((message) => message.level !== cxapi.SynthesisMessageLevel.INFO)
      .map((message) => `${message.level} ${message.id}: ${message.entry.data}`),
  );
}

export interface CloudFormationTemplate {
  readonly Resources: Record<string, { readonly Type: string; readonly Properties?: Record<string, any> }>;
}

/** The resources of a template with the given type. */
export function resourcesOfType(template: CloudFormationTemplate, type: string) {
  return Object.values(template.Resources).filter((resource) => resource.Type === type);
}
