import { join } from 'node:path';
import { tryCommand } from '../scripts/run-command';

// The type check (`npm run typecheck`) as one of the suites, rather than a step before them:
// it is seconds of one core, which the suites' waits on timers and child processes leave idle.
const projectRoot = join(__dirname, '..');

test('the project type-checks: construct, handler, example app, tests, scripts and benchmarks', () => {
  const tsc = tryCommand(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'], {
    cwd: projectRoot,
  });
  expect(tsc.stdout + tsc.stderr).toBe('');
  expect(tsc.status).toBe(0);
}, 120_000);
