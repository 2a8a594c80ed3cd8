/**
 * `npm run bench`: this library against the AwsCustomResource a user would write instead,
 * in one process, one run, with the same aws-cdk-lib. Writes bench/results.{json,md}.
 * Expects `npm run build` to have bundled the handler into assets/handler.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { addBaselineAliases } from './baseline-stack';
import { measureDirectory } from './bundle-size';
import { buildBundleVariants, SHIPPED_BUNDLE } from './bundle-variants';
import { Contender, measureColdStarts } from './cold-start';
import { compare } from './comparison';
import { measureDeployStorm } from './deploy-storm';
import { BASELINE, checkFloors, MeasuredFigures, OURS } from './floors';
import { measureColdOverhead, measureWarmOverhead } from './handler-overhead';
import { Workspace } from './handler-process';
import { Harness } from './harness';
import { addOurAliases } from './our-stack';
import { writeResults } from './report';
import { measureTemplateScale } from './template-scale';

const SETTINGS = {
  aliasCounts: [1, 10, 100, 400],
  synthRepeats: 5,
  coldStartRounds: 30,
  warmupRounds: 5,
  warmRounds: 60,
  coldOverheadRounds: 50,
  stormAliasCounts: [100, 300],
};

const OUR_BUNDLE = join(__dirname, '..', 'assets', 'handler');
const AWS_CUSTOM_RESOURCE_HANDLER = join(
  dirname(require.resolve('aws-cdk-lib/package.json')),
  'custom-resource-handlers/dist/custom-resources/aws-custom-resource-handler',
);

const started = Date.now();
const step = (what: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${what}`);

async function main(): Promise<void> {
  step(`template scale, N = ${SETTINGS.aliasCounts.join(', ')}`);
  const templateScale = await measureTemplateScale(
    [
      { name: OURS, addAliases: addOurAliases },
      { name: BASELINE, addAliases: addBaselineAliases },
    ],
    SETTINGS.aliasCounts,
    SETTINGS.synthRepeats,
  );

  step('bundling the handler without each optimisation');
  const variantsRoot = mkdtempSync(join(tmpdir(), 'alias-bench-variants-'));
  const variants = await buildBundleVariants(variantsRoot);
  const variantWorkspaces = await Promise.all(variants.map((variant) => Workspace.create(variant.directory)));
  const harness = await Harness.start(OUR_BUNDLE);
  try {
    step('cold starts');
    const ours: Contender = { name: `${OURS}: ${SHIPPED_BUNDLE}`, kind: 'bundle', workspace: harness.workspace };
    const baseline: Contender = {
      name: `${BASELINE}-style: @aws-sdk/client-connect from node_modules`,
      kind: 'sdk',
      workspace: harness.workspace,
    };
    const coldStart = await measureColdStarts(
      harness,
      [
        baseline,
        { name: 'Node.js floor: no module, only the response PUT', kind: 'bare', workspace: harness.workspace },
        ...variants.map((variant, index): Contender => ({
          name: `${OURS}: ${variant.name}`,
          kind: 'bundle',
          workspace: variantWorkspaces[index],
        })),
        ours,
      ],
      SETTINGS.coldStartRounds,
    );
    const coldStartOf = (contender: Contender) => coldStart.find((figures) => figures.name === contender.name)!;
    step('warm handler overhead');
    const warm = await measureWarmOverhead(harness, SETTINGS.warmupRounds, SETTINGS.warmRounds);
    step('cold handler overhead');
    const cold = await measureColdOverhead(harness, SETTINGS.coldOverheadRounds);
    const deployStorm = await measureDeployStorm(SETTINGS.stormAliasCounts, undefined, step);

    const measured: MeasuredFigures = {
      templateScale,
      coldStart: { ours: coldStartOf(ours), baseline: coldStartOf(baseline) },
      overhead: [...warm, ...cold],
    };
    const shippedBundles = {
      ours: measureDirectory(OUR_BUNDLE),
      baseline: measureDirectory(AWS_CUSTOM_RESOURCE_HANDLER),
    };
    writeResults(
      {
        generatedAt: new Date().toISOString(),
        machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' },
        versions: {
          awsCdkLib: require('aws-cdk-lib/package.json').version,
          clientConnect: require('@aws-sdk/client-connect/package.json').version,
        },
        settings: SETTINGS,
        comparison: compare(measured, shippedBundles),
        templateScale,
        bundles: {
          ...Object.fromEntries(
            variants.map((variant) => [`${OURS}: ${variant.name}`, measureDirectory(variant.directory)]),
          ),
          [ours.name]: shippedBundles.ours,
          [`${BASELINE} handler (uses the runtime's SDK)`]: shippedBundles.baseline,
        },
        coldStart,
        overhead: measured.overhead,
        floors: checkFloors(measured),
        deployStorm,
      },
      join(__dirname, 'results.json'),
      join(__dirname, 'results.md'),
    );
    step('wrote bench/results.md and bench/results.json');
  } finally {
    variantWorkspaces.forEach((workspace) => workspace.dispose());
    rmSync(variantsRoot, { recursive: true, force: true });
    await harness.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
