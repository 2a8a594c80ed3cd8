/**
 * Cold starts, one fresh process each, interleaved across contenders: module loading plus
 * one Create against the emulator, until the response PUT has arrived. The peak RSS of the
 * same processes is the memory figure.
 */
import type { Harness } from './harness';
import { HandlerProcess, Workspace } from './handler-process';
import type { HandlerKind } from './invocation-child';
import { Summary, summarize } from './stats';

/** One implementation in the comparison. */
export interface Contender {
  readonly name: string;
  readonly kind: HandlerKind;
  readonly workspace: Workspace;
}

export interface ColdStartFigures {
  readonly name: string;
  /** Load + Create + response: the figure that counts. */
  readonly invocationMs: Summary;
  readonly loadMs: Summary;
  readonly maxRssKb: Summary;
  readonly modulesLoaded: number;
  readonly moduleBytes: number;
}

export async function measureColdStarts(
  harness: Harness,
  contenders: readonly Contender[],
  rounds: number,
): Promise<ColdStartFigures[]> {
  const samples = contenders.map(() => ({ invocation: [] as number[], load: [] as number[], rss: [] as number[] }));
  const loaded = contenders.map(() => ({ modulesLoaded: 0, moduleBytes: 0 }));
  for (let round = 0; round < rounds; round++) {
    // Rotating who goes first keeps a systematic advantage of either position out of the medians.
    for (let step = 0; step < contenders.length; step++) {
      const index = (step + round) % contenders.length;
      const { kind, workspace } = contenders[index];
      const event = harness.events.create(harness.newPair());
      const { process, first } = HandlerProcess.start(kind, workspace, harness.emulator, harness.cloudFormation.endpoint, harness.receiver, event);
      const invocation = await first!;
      await process.stop();
      samples[index].invocation.push(invocation.loadToResponseMs);
      samples[index].load.push(invocation.loadMs);
      samples[index].rss.push(invocation.report.maxRssKb);
      loaded[index] = invocation.report;
    }
  }
  return contenders.map(({ name }, index) => ({
    name,
    invocationMs: summarize(samples[index].invocation),
    loadMs: summarize(samples[index].load),
    maxRssKb: summarize(samples[index].rss),
    modulesLoaded: loaded[index].modulesLoaded,
    moduleBytes: loaded[index].moduleBytes,
  }));
}
