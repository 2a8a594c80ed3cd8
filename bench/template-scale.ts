/**
 * Synthesizes N aliases in one stack with each implementation and measures the template.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { TEST_ENVIRONMENT } from '../test/fixtures/environment';
import { AliasPair, aliasPairs } from './fixtures';
import { measureTemplate, TemplateMetrics } from './template-metrics';
import { median } from './stats';

/** Adds one alias per pair to the stack. */
export type AliasWriter = (stack: Stack, pairs: readonly AliasPair[]) => void;

export interface Implementation {
  readonly name: string;
  readonly addAliases: AliasWriter;
}

export interface ScalePoint extends TemplateMetrics {
  readonly implementation: string;
  readonly aliases: number;
  readonly synthMs: number;
}

export async function measureTemplateScale(
  implementations: readonly Implementation[],
  aliasCounts: readonly number[],
  repeats: number,
): Promise<ScalePoint[]> {
  // Loads aws-cdk-lib's modules and warms the JIT, so the first measured synth is not penalised.
  for (const implementation of implementations) {
    synthesize(implementation, 1);
  }
  const points: ScalePoint[] = [];
  for (const aliases of aliasCounts) {
    const times = new Map(implementations.map((implementation) => [implementation.name, [] as number[]]));
    let templates = new Map<string, string>();
    // Interleaved so that machine noise (GC, other processes) falls on both implementations alike.
    for (let repeat = 0; repeat < repeats; repeat++) {
      for (const implementation of implementations) {
        const { templateText, synthMs } = synthesize(implementation, aliases);
        times.get(implementation.name)!.push(synthMs);
        templates.set(implementation.name, templateText);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    for (const implementation of implementations) {
      points.push({
        implementation: implementation.name,
        aliases,
        synthMs: median(times.get(implementation.name)!),
        ...measureTemplate(templates.get(implementation.name)!),
      });
    }
    templates = new Map();
  }
  return points;
}

/** App construction to written cloud assembly, as `cdk synth` does it. */
function synthesize(implementation: Implementation, aliases: number): { templateText: string; synthMs: number } {
  const outdir = mkdtempSync(join(tmpdir(), 'alias-bench-'));
  try {
    const started = performance.now();
    const app = new App({
      outdir,
      context: {
        // What `cdk deploy` passes by default, so the template is the one a deploy uploads.
        [cxapi.PATH_METADATA_ENABLE_CONTEXT]: true,
        [cxapi.ASSET_RESOURCE_METADATA_ENABLED_CONTEXT]: true,
        [cxapi.ANALYTICS_REPORTING_ENABLED_CONTEXT]: true,
        // CDK refuses to write a stack over 500 resources; measureTemplate reports the limit instead.
        '@aws-cdk/core:stackResourceLimit': 0,
      },
    });
    const stack = new Stack(app, 'Aliases', { env: { account: TEST_ENVIRONMENT.account, region: TEST_ENVIRONMENT.region } });
    Validations.of(stack).acknowledge({ id: 'CloudFormation-Validate::F0007', reason: 'measureTemplate reports it' });
    implementation.addAliases(stack, aliasPairs(aliases));
    const assembly = app.synth();
    const synthMs = performance.now() - started;
    const templateFile = assembly.getStackArtifact(stack.artifactId).templateFullPath;
    return { templateText: readFileSync(templateFile, 'utf8'), synthMs };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
