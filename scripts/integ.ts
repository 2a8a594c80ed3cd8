/**
 * Commands for the integration tests, test/integ.*.ts (npm run integ, integ:update, integ:deploy):
 *
 *   verify              synthesize each test and compare it with its committed snapshot (offline)
 *   update              rewrite the snapshots that differ (offline)
 *   deploy [cdk args]   deploy each test to the current AWS account and region, which runs its
 *                       assertions, then destroy it; cdk args (e.g. --profile) go to both
 *                       `cdk deploy` and `cdk destroy`; --no-clean keeps the stacks
 *
 * integ-runner would do all three, but its latest release reads cloud assemblies up to schema
 * 53 and aws-cdk-lib 2.276 writes 55; the snapshots keep integ-runner's layout for the day it
 * catches up. The deploy uses the aws-cdk CLI, which reads them.
 */
import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import { integTests, PROJECT_ROOT, removeAssembly, snapshotOf, synthesizeAndCompare } from './integ/integ-tests';
import { writeSnapshot } from './integ/snapshot';

const shown = (path: string) => relative(PROJECT_ROOT, path);

function verify(): number {
  let failed = 0;
  for (const test of integTests()) {
    const { assembly, differences } = synthesizeAndCompare(test);
    removeAssembly(assembly);
    if (differences.length === 0) {
      console.log(`${shown(test)}: matches its snapshot`);
      continue;
    }
    failed++;
    console.error(`${shown(test)}: differs from ${shown(snapshotOf(test))}:\n  ${differences.join('\n  ')}`);
  }
  if (failed > 0) console.error('Run `npm run integ:update` and commit the snapshot (and deploy it for real if the change matters).');
  return failed > 0 ? 1 : 0;
}

function update(): number {
  for (const test of integTests()) {
    const { assembly, differences } = synthesizeAndCompare(test);
    if (differences.length > 0) writeSnapshot(assembly, snapshotOf(test), PROJECT_ROOT);
    removeAssembly(assembly);
    console.log(`${shown(snapshotOf(test))}: ${differences.length > 0 ? 'updated' : 'already up to date'}`);
  }
  return 0;
}

function deploy(args: string[]): number {
  const clean = !args.includes('--no-clean');
  const cdkArgs = args.filter((arg) => arg !== '--no-clean');
  const cdk = (command: string[]) =>
    spawnSync(process.execPath, [require.resolve('aws-cdk/bin/cdk'), ...command, ...cdkArgs], {
      cwd: PROJECT_ROOT,
      stdio: 'inherit',
    }).status ?? 1;
  let status = 0;
  for (const test of integTests()) {
    const { assembly, differences } = synthesizeAndCompare(test);
    if (differences.length > 0) console.warn(`${shown(test)} differs from its snapshot; deploying the code as it is.`);
    console.log(`${shown(test)}: deploying (its assertions run during the deploy)`);
    const deployed = cdk(['deploy', '--app', assembly, '--all', '--require-approval', 'never']);
    console.log(`${shown(test)}: ${deployed === 0 ? 'PASSED' : 'FAILED'}`);
    if (clean) {
      status = cdk(['destroy', '--app', assembly, '--all', '--force']) || status;
      removeAssembly(assembly);
    } else console.log(`Stacks kept; remove them with: npx cdk destroy --app ${assembly} --all`);
    status = deployed || status;
  }
  return status;
}

const [command = 'verify', ...rest] = process.argv.slice(2);
const commands: Record<string, () => number> = { verify, update, deploy: () => deploy(rest) };
if (!commands[command]) {
  console.error(`Unknown command "${command}": use verify, update or deploy.`);
  process.exit(2);
}
process.exit(commands[command]());
