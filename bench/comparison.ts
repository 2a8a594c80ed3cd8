/** The headline: this library against the baseline, metric by metric, from one run. */
import type { BundleSize } from './bundle-size';
import type { ColdStartFigures } from './cold-start';
import { BASELINE, MeasuredFigures, OURS } from './floors';
import { aliasCapacity } from './template-metrics';
import type { ScalePoint } from './template-scale';

export interface ComparisonRow {
  readonly metric: string;
  readonly ours: string;
  readonly baseline: string;
  /** Ours divided by the baseline's, where both are numbers of the same kind. */
  readonly ratio: string;
}

/** The aliases count the per-stack figures are read at. */
const AT = 100;

export function compare(
  figures: MeasuredFigures,
  bundles: { readonly ours: BundleSize; readonly baseline: BundleSize },
): ComparisonRow[] {
  const of = (implementation: string) =>
    figures.templateScale.filter((point) => point.implementation === implementation);
  const at = (implementation: string) => of(implementation).find((point) => point.aliases === AT)!;
  const capacity = { ours: aliasCapacity(of(OURS)), baseline: aliasCapacity(of(BASELINE)) };
  const row = (metric: string, ours: number, baseline: number, format: (value: number) => string): ComparisonRow => ({
    metric,
    ours: format(ours),
    baseline: format(baseline),
    ratio: ratio(ours, baseline),
  });
  const scaleRow = (metric: string, pick: (point: ScalePoint) => number, format: (value: number) => string) =>
    row(`${AT} aliases: ${metric}`, pick(at(OURS)), pick(at(BASELINE)), format);
  const coldRow = (metric: string, pick: (cold: ColdStartFigures) => number, format: (value: number) => string) =>
    row(metric, pick(figures.coldStart.ours), pick(figures.coldStart.baseline), format);
  return [
    {
      metric: 'Aliases per stack before a limit',
      ours: `${capacity.ours.aliases} (${capacity.ours.limitedBy})`,
      baseline: `${capacity.baseline.aliases} (${capacity.baseline.limitedBy})`,
      ratio: `${(capacity.ours.aliases / capacity.baseline.aliases).toFixed(0)}× more`,
    },
    scaleRow('resources', (point) => point.resources, String),
    scaleRow('template bytes', (point) => point.templateBytes, kib),
    scaleRow('IAM policy characters on the role', (point) => point.iamPolicyBytes, String),
    scaleRow('synth time (median)', (point) => point.synthMs, ms),
    row('Handler code, gzip', bundles.ours.gzipBytes, bundles.baseline.gzipBytes, kib),
    coldRow('Code loaded by a cold start', (cold) => cold.moduleBytes, kib),
    coldRow('Cold invocation: load + Create + response (median)', (cold) => cold.invocationMs.median, ms),
    coldRow('Module load alone (median)', (cold) => cold.loadMs.median, ms),
    coldRow('Peak RSS of one invocation (median)', (cold) => cold.maxRssKb.median * 1024, mib),
  ];
}

/** Ours / baseline; far below one it reads better as a fraction. */
function ratio(ours: number, baseline: number): string {
  const value = ours / baseline;
  return value < 0.1 ? `1/${Math.round(baseline / ours)}` : `${value.toFixed(2)}×`;
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}
