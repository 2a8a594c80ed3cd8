/**
 * `npm run bench`: this library against the AwsCustomResource a user would write instead,
 * in one process, one run, with the same aws-cdk-lib. Writes bench/results.{json,md}.
 * Expects `npm run build` to have bundled the handler into assets/handler.
 */
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { addBaselineAliases } from './baseline-stack';
import { measureDirectory } from './bundle-size';
import { measureColdStarts } from './cold-start';
import { BASELINE, checkFloors, OURS } from './floors';
import { measureColdOverhead, measureWarmOverhead } from './handler-overhead';
import { Harness } from './harness';
import { addOurAliases } from './our-stack';
import { writeResults } from './report';
import { measureTemplateScale } from './template-scale';

const SETTINGS = {
  aliasCounts: [1, 10, 100, 400],
  synthRepeats: 5,
  coldStartRounds: 20,
  warmupRounds: 5,
  warmRounds: 60,
  coldOverheadRounds: 50,
};

const REPOSITORY = join(__dirname, '..');
const OUR_BUNDLE = join(REPOSITORY, 'assets', 'handler');
const AWS_CDK_LIB = dirname(require.resolve('aws-cdk-lib/package.json'));
const AWS_CUSTOM_RESOURCE_HANDLER = join(AWS_CDK_LIB, 'custom-resource-handlers/dist/custom-resources/aws-custom-resource-handler');

async function main(): Promise<void> {
  const started = Date.now();
  const step = (what: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${what}`);

  step(`template scale, N = ${SETTINGS.aliasCounts.join(', ')}`);
  const templateScale = await measureTemplateScale(
    [
      { name: OURS, addAliases: addOurAliases },
      { name: BASELINE, addAliases: addBaselineAliases },
    ],
    SETTINGS.aliasCounts,
    SETTINGS.synthRepeats,
  );

  const harness = await Harness.start(OUR_BUNDLE);
  try {
    step('cold starts');
    const coldStart = await measureColdStarts(harness, ['bundle', 'sdk', 'bare'], SETTINGS.coldStartRounds);
    step('warm handler overhead');
    const warm = await measureWarmOverhead(harness, SETTINGS.warmupRounds, SETTINGS.warmRounds);
    step('cold handler overhead');
    const cold = await measureColdOverhead(harness, SETTINGS.coldOverheadRounds);
    const overhead = [...warm, ...cold];

    writeResults(
      {
        generatedAt: new Date().toISOString(),
        machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' },
        versions: {
          awsCdkLib: require('aws-cdk-lib/package.json').version,
          clientConnect: require('@aws-sdk/client-connect/package.json').version,
        },
        settings: SETTINGS,
        templateScale,
        bundles: {
          [`${OURS} handler`]: measureDirectory(OUR_BUNDLE),
          [`${BASELINE} handler (SDK from the runtime)`]: measureDirectory(AWS_CUSTOM_RESOURCE_HANDLER),
        },
        coldStart,
        overhead,
        floors: checkFloors({ templateScale, coldStart, overhead }),
      },
      join(__dirname, 'results.json'),
      join(__dirname, 'results.md'),
    );
    step('wrote bench/results.md and bench/results.json');
  } finally {
    await harness.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
