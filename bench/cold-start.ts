/**
 * Cold starts, one fresh process each, interleaved across implementations: module loading
 * plus one Create against the emulator, until the response PUT has arrived. The peak RSS of
 * the same processes is the memory figure.
 */
import type { Harness } from './harness';
import { HandlerProcess } from './handler-process';
import type { HandlerKind } from './invocation-child';
import { Summary, summarize } from './stats';

export interface ColdStartFigures {
  readonly kind: HandlerKind;
  /** Load + Create + response: the figure that counts. */
  readonly invocationMs: Summary;
  readonly loadMs: Summary;
  readonly maxRssKb: Summary;
  readonly modulesLoaded: number;
  readonly moduleBytes: number;
}

export async function measureColdStarts(
  harness: Harness,
  kinds: readonly HandlerKind[],
  rounds: number,
): Promise<ColdStartFigures[]> {
  const samples = new Map(kinds.map((kind) => [kind, { invocation: [] as number[], load: [] as number[], rss: [] as number[] }]));
  const last = new Map<HandlerKind, { modulesLoaded: number; moduleBytes: number }>();
  for (let round = 0; round < rounds; round++) {
    // Rotating who goes first keeps a systematic advantage of either position out of the medians.
    const order = kinds.map((_, index) => kinds[(index + round) % kinds.length]);
    for (const kind of order) {
      const event = harness.events.create(harness.newPair());
      const { process, first } = HandlerProcess.start(kind, harness.workspace, harness.emulator, harness.receiver, event);
      const invocation = await first!;
      await process.stop();
      const sample = samples.get(kind)!;
      sample.invocation.push(invocation.loadToResponseMs);
      sample.load.push(invocation.loadMs);
      sample.rss.push(invocation.report.maxRssKb);
      last.set(kind, invocation.report);
    }
  }
  return kinds.map((kind) => {
    const sample = samples.get(kind)!;
    const { modulesLoaded, moduleBytes } = last.get(kind)!;
    return {
      kind,
      invocationMs: summarize(sample.invocation),
      loadMs: summarize(sample.load),
      maxRssKb: summarize(sample.rss),
      modulesLoaded,
      moduleBytes,
    };
  });
}
