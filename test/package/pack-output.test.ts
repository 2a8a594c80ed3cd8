import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../../scripts/run-command';
import { npmEnvironment } from './npm-environment';

// `npm pack` as a release pipeline runs it, lifecycle scripts included, in a copy of the project
// (the build it triggers must not rewrite this checkout's dist/ under the other tests).
const projectRoot = join(__dirname, '..', '..');
const BUILD_INPUTS = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'lib', 'lambda', 'scripts', 'README.md', 'LICENSE', 'CHANGELOG.md', 'API.md'];
// The example app, which `cdk synth` builds the handler for first (cdk.json).
const APP_INPUTS = ['bin', 'cdk.json'];

// The lifecycle scripts npm runs when a package is installed as a dependency, and the ones it
// lists among a consumer app's install scripts.
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepublish', 'preprepare', 'prepare', 'postprepare'];

let copy: string;
beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'alias-pack-'));
  for (const input of [...BUILD_INPUTS, ...APP_INPUTS]) cpSync(join(projectRoot, input), join(copy, input), { recursive: true });
  symlinkSync(join(projectRoot, 'node_modules'), join(copy, 'node_modules'), 'dir');
});
afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

test('`npm pack --json` builds the package and prints nothing but JSON', () => {
  const { stdout } = runCommand('npm', ['pack', '--dry-run', '--json'], { cwd: copy, env: npmEnvironment(), timeoutMs: 180_000 });

  const [report] = JSON.parse(stdout) as [{ files: { path: string }[] }];
  expect(report.files.map((file) => file.path)).toEqual(expect.arrayContaining(['assets/handler/index.js', 'dist/index.js']));
}, 200_000);

test('`cdk synth` of the example app builds the handler and prints nothing but the template', () => {
  const { stdout } = runCommand('npx', ['cdk', 'synth', '--json', '--no-notices'], { cwd: copy, env: npmEnvironment(), timeoutMs: 180_000 });

  const template = JSON.parse(stdout) as { Resources: Record<string, { Type: string }> };
  expect(Object.values(template.Resources).map((resource) => resource.Type)).toContain('AWS::Lambda::Function');
}, 200_000);

test('the published package.json has no script npm runs or lists as an install script', () => {
  const { scripts } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  expect(Object.keys(scripts).filter((name) => INSTALL_SCRIPTS.includes(name))).toEqual([]);
});
