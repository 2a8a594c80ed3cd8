/**
 * The deploy storm: N aliases created at once and deleted at once, as CloudFormation may start
 * them, under Amazon Connect's default quota (2 requests/s, burst 5, shared by every call),
 * for this checkout's library with its defaults and for release 0.1.0 with its defaults.
 *
 * Part of `npm run bench`; alone, after `npm run build`:
 *   npx tsx bench/deploy-storm.ts [--aliases 100,300] [--design current|head|0.1.0 (repeatable)]
 *     [--concurrency 10|100|unlimited] [--other-rps 0|0.5|1] [--stacks 1|2] [--time-scale 10] [--write]
 * `--concurrency` is the account's Lambda concurrency, `--other-rps` the other callers' steady
 * requests per second on Connect's quota, `--stacks 2` plays two stacks of N aliases at once.
 * `--time-scale K` runs K times faster: the quota at K × 2 requests/s, the other callers at K
 * times their rate, the aliases told the quota (connectRequestsPerSecond), Lambda's own delays
 * K times shorter. `head` is the last commit's library and handler, built outside the checkout.
 * `--write` puts the figures into bench/results.json and results.md, keeping the other sections.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runStorm, type StormFigures } from '../test/support/storm-run';
import { type AliasLibrary, releaseLibrary, synthesizeAliasStack } from '../test/support/storm-stack';
import { aliasPair } from './fixtures';
import { type BenchResults, renderStorm, writeResults } from './report';
import type { StormAccount } from './storm-account';

import { describeAccount } from './storm-account';

/** Release 0.1.0 on main, the baseline. */
export const RELEASE_0_1_0 = { name: '0.1.0', commit: 'bbfd583' } as const;
const CURRENT = 'current';
const HEAD = 'head';
const DEFAULT_QUOTA = { rate: 2, burst: 5 } as const;

/** One storm: a design, a stack size, the figures. */
export interface StormResult extends StormFigures {
  readonly design: string;
  /** Aliases in each stack. */
  readonly aliases: number;
  /** How many times faster than Connect's own quota the run was. */
  readonly timeScale: number;
}

const DEFAULT_ACCOUNT: StormAccount = { otherRequestsPerSecond: 0, stacks: 1, timeScale: 1 };

interface Design {
  readonly name: string;
  readonly library: () => AliasLibrary;
}

/** Runs the storms one after the other (each uses the whole quota), each design at each size. */
export async function measureDeployStorm(
  aliasCounts: readonly number[],
  designNames: readonly string[] = [RELEASE_0_1_0.name, CURRENT],
  progress: (what: string) => void = () => undefined,
  accounts: readonly StormAccount[] = [DEFAULT_ACCOUNT],
): Promise<StormResult[]> {
  const root = mkdtempSync(join(tmpdir(), 'alias-bench-storm-'));
  const designs: Design[] = [
    { name: RELEASE_0_1_0.name, library: () => releaseLibrary(RELEASE_0_1_0.commit, root) },
    { name: CURRENT, library: () => require('../lib') },
    { name: HEAD, library: () => releaseLibrary('HEAD', root) },
  ];
  const results: StormResult[] = [];
  try {
    for (const design of designs.filter((candidate) => designNames.includes(candidate.name))) {
      const library = design.library();
      for (const aliases of aliasCounts) {
        for (const account of accounts) {
          progress(`deploy storm: ${design.name}, ${account.stacks} × ${aliases} aliases, ${describeAccount(account)}`);
          const scale = account.timeScale;
          const quota = { rate: DEFAULT_QUOTA.rate * scale, burst: DEFAULT_QUOTA.burst };
          // A scaled run tells the aliases the scaled quota, as the quick test does; 0.1.0 knows no such setting.
          const props = scale === 1 || design.name === RELEASE_0_1_0.name ? {} : { connectRequestsPerSecond: quota.rate };
          const stacks = Array.from({ length: account.stacks }, (_, index) => {
            // Each stack its own addresses.
            const pairs = Array.from({ length: aliases }, (_, pair) => aliasPair(index * aliases + pair));
            const outdir = mkdtempSync(join(root, 'cdk.out-'));
            return { stack: synthesizeAliasStack(library, pairs, props, outdir, `AliasStormStack${index + 1}`), pairs };
          });
          const figures = await runStorm({
            stacks,
            quota,
            workDirectory: root,
            lambdaConcurrency: account.lambdaConcurrency,
            otherRequestsPerSecond: account.otherRequestsPerSecond * scale,
            timeScale: scale,
          });
          results.push({ design: design.name, aliases, timeScale: scale, ...figures });
        }
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return results;
}

/** Every combination of the values given for each option. */
export function stormAccounts(concurrencies: readonly string[], otherRates: readonly string[], stacks: readonly string[], timeScale: number): StormAccount[] {
  const concurrency = (value: string) => {
    if (value === 'unlimited') return undefined;
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1) throw new Error(`--concurrency takes a positive integer or "unlimited", got "${value}".`);
    return number;
  };
  const nonNegative = (option: string, value: string) => {
    const number = Number(value);
    if (!(number >= 0)) throw new Error(`--${option} takes a number of 0 or more, got "${value}".`);
    return number;
  };
  return concurrencies.flatMap((c) =>
    otherRates.flatMap((rate) =>
      stacks.map((count) => ({
        ...(concurrency(c) === undefined ? {} : { lambdaConcurrency: concurrency(c) }),
        otherRequestsPerSecond: nonNegative('other-rps', rate),
        stacks: Math.max(1, Math.round(nonNegative('stacks', count))),
        timeScale,
      })),
    ),
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      aliases: { type: 'string', default: '100,300' },
      design: { type: 'string', multiple: true, default: [RELEASE_0_1_0.name, CURRENT] },
      concurrency: { type: 'string', multiple: true, default: ['unlimited'] },
      'other-rps': { type: 'string', multiple: true, default: ['0'] },
      stacks: { type: 'string', multiple: true, default: ['1'] },
      'time-scale': { type: 'string', default: '1' },
      write: { type: 'boolean', default: false },
    },
  });
  const counts = values.aliases.split(',').map(Number);
  if (counts.some((count) => !Number.isInteger(count) || count < 1)) {
    throw new Error(`--aliases takes positive integers separated by commas, got "${values.aliases}".`);
  }
  const timeScale = Number(values['time-scale']);
  if (!(timeScale >= 1)) throw new Error(`--time-scale takes a number of 1 or more, got "${values['time-scale']}".`);
  const accounts = stormAccounts(values.concurrency, values['other-rps'], values.stacks, timeScale);
  const started = Date.now();
  const results = await measureDeployStorm(
    counts,
    values.design,
    (what) => console.log(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${what}`),
    accounts,
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
