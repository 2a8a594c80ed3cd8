/** Writes one run's figures as results.json (everything) and results.md (the tables). */
import { writeFileSync } from 'node:fs';
import type { BundleSize } from './bundle-size';
import type { ColdStartFigures } from './cold-start';
import type { ComparisonRow } from './comparison';
import type { StormOperationFigures } from '../test/support/storm-run';
import type { StormResult } from './deploy-storm';
import { describeAccount } from './storm-account';
import { BASELINE, type FloorCheck, OURS } from './floors';
import type { OverheadFigures } from './handler-overhead';
import type { Summary } from './stats';
import type { ScalePoint } from './template-scale';

export interface BenchResults {
  readonly generatedAt: string;
  readonly machine: { readonly node: string; readonly cpus: number; readonly cpuModel: string };
  readonly versions: { readonly awsCdkLib: string; readonly clientConnect: string };
  readonly settings: Record<string, number | readonly number[]>;
  readonly comparison: readonly ComparisonRow[];
  readonly templateScale: readonly ScalePoint[];
  readonly bundles: Record<string, BundleSize>;
  readonly coldStart: readonly ColdStartFigures[];
  readonly overhead: readonly OverheadFigures[];
  readonly floors: readonly FloorCheck[];
  readonly deployStorm?: readonly StormResult[];
}

export function writeResults(results: BenchResults, jsonFile: string, markdownFile: string): void {
  writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(markdownFile, renderMarkdown(results));
}

export function renderMarkdown(results: BenchResults): string {
  const { machine, versions } = results;
  return [
    '# Benchmark results',
    '',
    `Node ${machine.node}, ${machine.cpus} × ${machine.cpuModel}; aws-cdk-lib ${versions.awsCdkLib}, ` +
      `@aws-sdk/client-connect ${versions.clientConnect}; ${results.generatedAt}. Reproduce with \`npm run bench\`.`,
    '',
    '## Summary',
    '',
    renderComparison(results.comparison),
    '## Floors',
    '',
    table(
      ['floor', 'target', 'measured', 'met'],
      results.floors.map((check) => [check.floor, check.target, check.measured, check.met ? 'yes' : '**no**']),
    ),
    '## Template scale (one stack, one instance)',
    '',
    table(
      [
        'aliases',
        'implementation',
        'resources',
        'Lambda functions',
        'template bytes',
        'bytes per alias',
        'IAM policy characters (role)',
        'synth ms (median)',
        'limits exceeded',
      ],
      results.templateScale.map((point) => [
        `${point.aliases}`,
        point.implementation,
        `${point.resources}`,
        `${point.lambdaFunctions}`,
        bytes(point.templateBytes),
        bytes(point.templateBytes / point.aliases),
        `${point.iamPolicyBytes}`,
        point.synthMs.toFixed(0),
        point.limitsExceeded.join('; ') || 'none',
      ]),
    ),
    '## Handler code',
    '',
    table(
      ['code', 'files', 'bytes', 'gzip bytes'],
      Object.entries(results.bundles).map(([name, size]) => [
        name,
        `${size.files}`,
        bytes(size.bytes),
        bytes(size.gzipBytes),
      ]),
    ),
    '## Cold start: fresh process, load + one Create + response PUT (interleaved)',
    '',
    table(
      ['handler', 'invocation median', 'p95', 'load median', 'peak RSS median', 'files loaded'],
      results.coldStart.map((figures) => [
        figures.name,
        ms(figures.invocationMs.median),
        ms(figures.invocationMs.p95),
        ms(figures.loadMs.median),
        `${(figures.maxRssKb.median / 1024).toFixed(1)} MiB`,
        `${figures.modulesLoaded} (${bytes(figures.moduleBytes)})`,
      ]),
    ),
    `Samples per row: ${results.coldStart[0].invocationMs.samples}.`,
    '',
    '## Handler overhead: invocation to response PUT, less the emulator\'s answering time',
    '',
    table(
      ['event', 'mode', 'overhead median', 'p95', 'emulator median', 'Connect calls (events)'],
      results.overhead.map((figures) => [
        figures.event,
        figures.mode,
        ms(figures.overheadMs.median),
        ms(figures.overheadMs.p95),
        ms(figures.emulatorMs.median),
        Object.entries(figures.callSequences)
          .map(([sequence, count]) => `${sequence} (${count})`)
          .join('; '),
      ]),
    ),
    `Samples per row: ${summaryCount(results.overhead.map((figures) => figures.overheadMs))}.`,
    '',
    ...(results.deployStorm ? [renderStorm(results.deployStorm)] : []),
  ].join('\n');
}

/**
 * The deploy-storm section. The floor is the time the quota needs to serve the Connect calls
 * the design made; N ÷ rate is the floor of one call per alias.
 */
export function renderStorm(results: readonly StormResult[]): string {
  const quotas = [...new Set(results.map(({ quota }) => `${quota.rate} requests/s, burst ${quota.burst}`))].join('; ');
  const scaled = results.some((result) => result.timeScale !== 1);
  const rows = results.flatMap((result) =>
    [result.create, result.teardown?.delete].flatMap((figures) => (figures ? [stormRow(result, figures)] : [])),
  );
  const repaired = results.filter((result) => (result.teardown?.recreatedBeforeDelete ?? 0) > 0);
  // One example per operation that failed: the reasons differ only in the addresses they name.
  const reasons = results.flatMap((result) =>
    [result.create, result.teardown?.delete].flatMap((figures) =>
      figures?.reasons[0]
        ? [`${result.design}, ${result.stacks ?? 1} × ${result.aliases} aliases, ${describeAccount(accountOf(result))}, ${figures.operation}: ${figures.reasons[0]}`]
        : [],
    ),
  );
  return [
    `## Deploy storm: N aliases created at once, then deleted at once (${quotas})`,
    '',
    'CloudFormation starts every alias whose dependencies are complete, with no cap; each invocation runs the ' +
      "built handler with the template's timeout, environment and reserved concurrency, within the account's " +
      "Lambda concurrency (Lambda's asynchronous queue retries throttled events with its back-off, up to the " +
      "event's maximum age), and an answer counts only within the resource's ServiceTimeout and the invocation's " +
      'timeout. Queues and event source mappings in the template are played as SQS and Lambda run them. Other ' +
      "callers take requests steadily from the same quota. Requests are counted until the last invocation has ended; " +
      "the floor is the stacks' served calls ÷ (quota − other callers' rate)." +
      (scaled ? ' Runs marked "time ×K" ran K times faster: quota, other callers, the aliases\' own rate and Lambda\'s delays.' : ''),
    '',
    table(
      [
        'implementation',
        'account',
        'aliases',
        'operation',
        'succeeded / failed / no answer',
        'wall time',
        'floor: served ÷ what was left',
        'wall ÷ floor',
        'calls served per alias',
        'requests offered',
        'served',
        'throttled per served',
        "other callers' requests throttled",
        'most executions at once',
      ],
      rows,
    ),
    ...(repaired.length > 0
      ? [
          'Before each delete, the aliases whose create had not succeeded were created again one at a time, so that ' +
            `the delete meets all of them: ${repaired.map((r) => `${r.design} at ${r.stacks ?? 1} × ${r.aliases}, ${describeAccount(accountOf(r))}: ${r.teardown!.recreatedBeforeDelete}`).join('; ')}.`,
          '',
        ]
      : []),
    ...(reasons.length > 0 ? ['A failure reason of each:', '', ...reasons.map((reason) => `- ${reason}`), ''] : []),
  ].join('\n');
}

/** The summary table alone, as docs/benchmarks.md shows it. */
export function renderComparison(rows: readonly ComparisonRow[]): string {
  return table(
    ['', OURS, BASELINE, 'ratio'],
    rows.map((row) => [row.metric, row.ours, row.baseline, row.ratio]),
  );
}

function stormRow(result: StormResult, figures: StormOperationFigures): string[] {
  const { rate } = result.quota;
  const { requests } = figures;
  const left = rate - (result.otherRequestsPerSecond ?? 0);
  const floorMs = (requests.served / left) * 1000;
  const notStarted = figures.notStarted > 0 ? ` (${figures.notStarted} not started)` : '';
  const others = figures.otherCallers;
  return [
    result.design,
    describeAccount(accountOf(result)),
    `${result.stacks ?? 1} × ${result.aliases}`,
    figures.operation,
    `${figures.succeeded} / ${figures.failed} / ${figures.noAnswer}${notStarted}`,
    seconds(figures.wallMs),
    seconds(floorMs),
    ratio(figures.wallMs / floorMs),
    (requests.served / figures.aliases).toFixed(2),
    `${requests.offered}`,
    `${requests.served}`,
    (requests.throttled / requests.served).toFixed(2),
    others && others.offered > 0 ? `${((100 * others.throttled) / others.offered).toFixed(1)}% of ${others.offered}` : '–',
    figures.mostExecutionsAtOnce === undefined ? '–' : `${figures.mostExecutionsAtOnce}`,
  ];
}

/** The account a stored result ran in; results written before these options ran in an unlimited, quiet one. */
function accountOf(result: StormResult) {
  const scale = result.timeScale ?? 1;
  return {
    ...(result.lambdaConcurrency === undefined ? {} : { lambdaConcurrency: result.lambdaConcurrency }),
    otherRequestsPerSecond: (result.otherRequestsPerSecond ?? 0) / scale,
    stacks: result.stacks ?? 1,
    timeScale: scale,
  };
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line), ''].join('\n');
}

function seconds(valueMs: number): string {
  return `${(valueMs / 1000).toFixed(1)} s`;
}

function ratio(value: number): string {
  return `${value.toFixed(2)}×`;
}

function ms(value: number): string {
  return `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}

function bytes(value: number): string {
  return value >= 10_000 ? `${(value / 1024).toFixed(1)} KiB` : `${Math.round(value)} B`;
}

function summaryCount(summaries: readonly Summary[]): string {
  return [...new Set(summaries.map((summary) => summary.samples))].join(' / ');
}
