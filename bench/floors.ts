/**
 * The targets from the issue, checked against one run's figures. Each check says what was
 * compared, so the report shows the margin, not only a verdict.
 */
import type { ColdStartFigures } from './cold-start';
import type { OverheadFigures } from './handler-overhead';
import type { ScalePoint } from './template-scale';

/** The resources a stack has besides its aliases: see the floor of that name. */
const FIXED_RESOURCES = 13;

export const OURS = 'EmailAddressAlias';
export const BASELINE = 'AwsCustomResource';

export interface FloorCheck {
  readonly floor: string;
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

export interface MeasuredFigures {
  readonly templateScale: readonly ScalePoint[];
  /** The shipped handler's cold starts and the baseline's, from the same interleaved run. */
  readonly coldStart: { readonly ours: ColdStartFigures; readonly baseline: ColdStartFigures };
  readonly overhead: readonly OverheadFigures[];
}

/**
 * The fewest Connect calls each event needs when nothing goes wrong, in the format of
 * `OverheadFigures.callSequences`. A delete reads the holders of the association before it
 * removes it, as the last one; an update that keeps the primary must free it first: an
 * address has at most one alias.
 */
const MINIMAL_CALLS: Record<OverheadFigures['event'], string> = {
  create: 'AssociateEmailAddressAlias 200',
  update: 'DescribeEmailAddress 200, DisassociateEmailAddressAlias 200, AssociateEmailAddressAlias 200',
  'update (same pair)': 'none',
  delete: 'DescribeEmailAddress 200, DisassociateEmailAddressAlias 200',
};

export function checkFloors({ templateScale, coldStart, overhead }: MeasuredFigures): FloorCheck[] {
  const ours = templateScale.filter((point) => point.implementation === OURS);
  const point = (implementation: string, aliases: number) =>
    templateScale.find((candidate) => candidate.implementation === implementation && candidate.aliases === aliases)!;
  const largest = ours[ours.length - 1];
  const policySizes = new Set(ours.map((scale) => scale.iamPolicyBytes));
  const perAlias = (implementation: string) => point(implementation, 100).templateBytes / 100;
  const marginalPerAlias = (implementation: string) =>
    (point(implementation, 100).templateBytes - point(implementation, 1).templateBytes) / 99;
  const coldOurs = coldStart.ours.invocationMs.median;
  const coldBaseline = coldStart.baseline.invocationMs.median;
  const warm = overhead.filter((figures) => figures.mode === 'warm');

  return [
    {
      // N + 5 before the work queue; the topic, its policy and subscription, the two queues and
      // their policies and the event source mapping add 8, whatever N (docs/design.md weighs it).
      floor: `Resources for N aliases ≤ N + ${FIXED_RESOURCES}, flat in N`,
      target: ours.map((scale) => `${scale.aliases + FIXED_RESOURCES}`).join(' / '),
      measured: ours.map((scale) => `${scale.resources}`).join(' / '),
      met: ours.every((scale) => scale.resources <= scale.aliases + FIXED_RESOURCES),
    },
    {
      floor: 'Exactly one Lambda function for any N',
      target: '1',
      measured: [...new Set(ours.map((scale) => scale.lambdaFunctions))].join(', '),
      met: ours.every((scale) => scale.lambdaFunctions === 1),
    },
    {
      floor: 'IAM policy bytes independent of N',
      target: 'one size for every N',
      measured: [...policySizes].join(', '),
      met: policySizes.size === 1,
    },
    {
      floor: 'Template bytes per alias at N = 100 ≤ 20% of the baseline',
      target: '≤ 20%',
      measured:
        `${versus(perAlias(OURS), perAlias(BASELINE))} of template bytes / N; ` +
        `${versus(marginalPerAlias(OURS), marginalPerAlias(BASELINE))} of the bytes each further alias adds`,
      met: Math.max(perAlias(OURS) / perAlias(BASELINE), marginalPerAlias(OURS) / marginalPerAlias(BASELINE)) <= 0.2,
    },
    {
      floor: `${largest.aliases} aliases within CloudFormation and IAM limits`,
      target: '≤ 500 resources, ≤ 1 MB template, ≤ 10,240 policy characters per role',
      measured: `${largest.resources} resources, ${largest.templateBytes} B, ${largest.iamPolicyBytes} characters`,
      met: largest.limitsExceeded.length === 0,
    },
    {
      floor: 'Cold invocation ≤ 75% of the baseline (median, same run); aim 50%',
      target: '≤ 75%',
      measured: `${percent(coldOurs, coldBaseline)} (${coldOurs.toFixed(1)} vs ${coldBaseline.toFixed(1)} ms)`,
      met: coldOurs <= 0.75 * coldBaseline,
    },
    {
      floor: 'Handler overhead ≤ 5 ms median per warm event',
      target: '≤ 5 ms',
      measured: warm.map((figures) => `${figures.event} ${figures.overheadMs.median.toFixed(2)} ms`).join(', '),
      met: warm.every((figures) => figures.overheadMs.median <= 5),
    },
    {
      floor: 'No more Connect calls per event than the minimum',
      target: Object.entries(MINIMAL_CALLS)
        .map(([event, calls]) => `${event}: ${calls}`)
        .join('; '),
      measured:
        describeUnexpectedCalls(overhead) ?? `as targeted, in all ${countEvents(overhead)} warm and cold events`,
      met: describeUnexpectedCalls(overhead) === undefined,
    },
  ];
}

/** The events whose calls differ from the minimum, or undefined when there are none. */
function describeUnexpectedCalls(overhead: readonly OverheadFigures[]): string | undefined {
  const unexpected = overhead.flatMap((figures) =>
    Object.entries(figures.callSequences)
      .filter(([sequence]) => sequence !== MINIMAL_CALLS[figures.event])
      .map(([sequence, events]) => `${figures.mode} ${figures.event}: ${sequence} (${events} events)`),
  );
  return unexpected.length === 0 ? undefined : unexpected.join('; ');
}

function countEvents(overhead: readonly OverheadFigures[]): number {
  return overhead.reduce((sum, figures) => sum + figures.overheadMs.samples, 0);
}

/** "21.5% (669 vs 3114 B)" */
function versus(ours: number, baseline: number): string {
  return `${percent(ours, baseline)} (${Math.round(ours)} vs ${Math.round(baseline)} B)`;
}

function percent(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(1)}%`;
}
