/**
 * The deploy storm: N aliases created at once and deleted at once, as CloudFormation may start
 * them, under Amazon Connect's default quota (2 requests/s, burst 5, shared by every call),
 * for this checkout's library with its defaults and for release 0.1.0 with its defaults.
 *
 * Part of `npm run bench`; alone, after `npm run build`:
 *   npx tsx bench/deploy-storm.ts [--aliases 100,300] [--design current|0.1.0 (repeatable)] [--write]
 * `--write` puts the figures into bench/results.json and results.md, keeping the other sections.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runStorm, type StormFigures } from '../test/support/storm-run';
import { type AliasLibrary, releaseLibrary, synthesizeAliasStack } from '../test/support/storm-stack';
import { aliasPairs } from './fixtures';
import { type BenchResults, renderStorm, writeResults } from './report';

/** Release 0.1.0 on main, the baseline. */
export const RELEASE_0_1_0 = { name: '0.1.0', commit: 'bbfd583' } as const;
const CURRENT = 'current';
const DEFAULT_QUOTA = { rate: 2, burst: 5 } as const;

/** One storm: a design, a stack size, the figures. */
export interface StormResult extends StormFigures {
  readonly design: string;
  /** Aliases in the stack. */
  readonly aliases: number;
}

interface Design {
  readonly name: string;
  readonly library: () => AliasLibrary;
}

/** Runs the storms one after the other (each uses the whole quota), each design at each size. */
export async function measureDeployStorm(
  aliasCounts: readonly number[],
  designNames: readonly string[] = [RELEASE_0_1_0.name, CURRENT],
  progress: (what: string) => void = () => undefined,
): Promise<StormResult[]> {
  const root = mkdtempSync(join(tmpdir(), 'alias-bench-storm-'));
  const designs: Design[] = [
    { name: RELEASE_0_1_0.name, library: () => releaseLibrary(RELEASE_0_1_0.commit, root) },
    { name: CURRENT, library: () => require('../lib') },
  ];
  const results: StormResult[] = [];
  try {
    for (const design of designs.filter((candidate) => designNames.includes(candidate.name))) {
      const library = design.library();
      for (const aliases of aliasCounts) {
        progress(`deploy storm: ${design.name}, ${aliases} aliases`);
        const pairs = aliasPairs(aliases);
        const stack = synthesizeAliasStack(library, pairs, {}, mkdtempSync(join(root, 'cdk.out-')));
        const figures = await runStorm({ stack, pairs, quota: DEFAULT_QUOTA, workDirectory: root });
        results.push({ design: design.name, aliases, ...figures });
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return results;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      aliases: { type: 'string', default: '100,300' },
      design: { type: 'string', multiple: true, default: [RELEASE_0_1_0.name, CURRENT] },
      write: { type: 'boolean', default: false },
    },
  });
  const counts = values.aliases.split(',').map(Number);
  if (counts.some((count) => !Number.isInteger(count) || count < 1)) {
    throw new Error(`--aliases takes positive integers separated by commas, got "${values.aliases}".`);
  }
  const started = Date.now();
  const results = await measureDeployStorm(counts, values.design, (what) =>
    console.log(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${what}`),
  );
  console.log(`\n${renderStorm(results)}`);
  if (values.write) {
    const jsonFile = join(__dirname, 'results.json');
    const previous: BenchResults = JSON.parse(readFileSync(jsonFile, 'utf8'));
    writeResults({ ...previous, deployStorm: results }, jsonFile, join(__dirname, 'results.md'));
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
