/**
 * The handler's own cost per lifecycle event: invocation to response PUT, less the time the
 * emulator spent answering, with the Connect calls each event made. Warm: one process serves
 * every event, as a reused Lambda sandbox does. Cold: a fresh process per event.
 */
import type { Harness } from './harness';
import { HandlerProcess, Invocation } from './handler-process';
import { AliasEvent, REPLACED_FUNCTION_ARN } from './cloudformation-events';
import { AliasPair } from './fixtures';
import { Summary, summarize } from './stats';

export const EVENT_KINDS = ['create', 'update', 'update (same pair)', 'delete'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface OverheadFigures {
  readonly event: EventKind;
  readonly mode: 'warm' | 'cold';
  readonly overheadMs: Summary;
  readonly emulatorMs: Summary;
  /** Each distinct sequence of Connect operations, with how many events made it. */
  readonly callSequences: Record<string, number>;
}

/** Runs one event in some process, keeping the lifecycle of one alias going across calls. */
type Runner = (event: AliasEvent) => Promise<Invocation>;

export async function measureWarmOverhead(
  harness: Harness,
  warmupRounds: number,
  rounds: number,
): Promise<OverheadFigures[]> {
  const { process } = HandlerProcess.start('bundle', harness.workspace, harness.emulator, harness.cloudFormation.endpoint, harness.receiver);
  try {
    const run: Runner = (event) => process.invoke(event);
    // The first rounds compile and optimise the handler's paths; a reused sandbox has done that.
    for (let round = 0; round < warmupRounds; round++) {
      await lifecycle(harness, run);
    }
    return await collect('warm', harness, rounds, run);
  } finally {
    await process.stop();
  }
}

export async function measureColdOverhead(harness: Harness, rounds: number): Promise<OverheadFigures[]> {
  return collect('cold', harness, rounds, async (event) => {
    const { workspace, emulator, cloudFormation, receiver } = harness;
    const { process, first } = HandlerProcess.start('bundle', workspace, emulator, cloudFormation.endpoint, receiver, event);
    try {
      return await first!;
    } finally {
      await process.stop();
    }
  });
}

async function collect(
  mode: OverheadFigures['mode'],
  harness: Harness,
  rounds: number,
  run: Runner,
): Promise<OverheadFigures[]> {
  const byKind = new Map(EVENT_KINDS.map((kind) => [kind, [] as Invocation[]]));
  for (let round = 0; round < rounds; round++) {
    for (const [kind, invocation] of await lifecycle(harness, run)) {
      byKind.get(kind)!.push(invocation);
    }
  }
  return EVENT_KINDS.map((event) => {
    const invocations = byKind.get(event)!;
    return {
      event,
      mode,
      overheadMs: summarize(invocations.map((invocation) => invocation.invokeToResponseMs - invocation.emulatorMs)),
      emulatorMs: summarize(invocations.map((invocation) => invocation.emulatorMs)),
      callSequences: countSequences(invocations),
    };
  });
}

/** One alias from Create to Delete: its primary keeps a new alias, then a no-op Update. */
async function lifecycle(harness: Harness, run: Runner): Promise<Array<[EventKind, Invocation]>> {
  const { events } = harness;
  const first = harness.newPair();
  const created = await run(events.create(first));
  const physicalId = created.response.PhysicalResourceId;
  const second: AliasPair = harness.newAliasFor(first);
  const updated = await run(events.update(physicalId, first, second));
  const unchanged = await run(events.update(physicalId, second, second, REPLACED_FUNCTION_ARN));
  const deleted = await run(events.delete(physicalId, second));
  return [
    ['create', created],
    ['update', updated],
    ['update (same pair)', unchanged],
    ['delete', deleted],
  ];
}

function countSequences(invocations: readonly Invocation[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { calls } of invocations) {
    const sequence = calls.map((call) => `${call.operation} ${call.status ?? 'no answer'}`).join(', ') || 'none';
    counts[sequence] = (counts[sequence] ?? 0) + 1;
  }
  return counts;
}
