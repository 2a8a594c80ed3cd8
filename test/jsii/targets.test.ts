import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { generatePackageSources } from '../../scripts/jsii-sources';
import { buildPythonDistributions, whyNoOfflinePythonBuild } from '../../scripts/python-package';
import { runCommand } from '../../scripts/run-command';
import { assertBuildIsFresh } from '../package/pack';

// The packages jsii-pacmak generates for the other CDK languages, from the jsii assembly the
// build wrote. Their registries are out of reach here, so the code is generated, not compiled;
// each package bundles the npm tarball, which the jsii runtime unpacks and runs in Node.js.
const projectRoot = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));
const { python, java, dotnet, go } = manifest.jsii.targets;
// jsii names the Go package after the npm package: lower case, letters and digits only.
const goPackage = (manifest.name as string).replace(/[^a-z0-9]/g, '');
const goModule = `${go.moduleName}/${goPackage}`;

let work: string;
let generated: string;
beforeAll(() => {
  assertBuildIsFresh(projectRoot);
  work = mkdtempSync(join(tmpdir(), 'alias-jsii-'));
  generated = join(work, 'generated');
  generatePackageSources(projectRoot, generated);
}, 200_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const read = (...path: string[]) => readFileSync(join(generated, ...path), 'utf8');

test('package.json carries what Construct Hub lists a package by: a CDK keyword, an open licence, the assembly', () => {
  expect(manifest.keywords).toEqual(expect.arrayContaining(['cdk', 'awscdk', 'aws-cdk']));
  expect(manifest.license).toBe('Apache-2.0');
  expect(manifest.files).toContain('.jsii');
});

test('the Python package is the PyPI distribution and module of package.json', () => {
  const setup = read('python', 'setup.py');
  expect(setup).toContain(`"name": "${python.distName}"`);
  expect(readdirSync(join(generated, 'python', 'src'))).toEqual([python.module]);
});

test('the Java package has the Maven coordinates and Java package of package.json', () => {
  const pom = read('java', 'pom.xml');
  expect(pom).toContain(`<groupId>${java.maven.groupId}</groupId>`);
  expect(pom).toContain(`<artifactId>${java.maven.artifactId}</artifactId>`);
  expect(existsSync(join(generated, 'java', 'src', 'main', 'java', ...java.package.split('.'), 'EmailAddressAlias.java'))).toBe(true);
});

test('the .NET package has the NuGet id and namespace of package.json', () => {
  const project = read('dotnet', dotnet.packageId, `${dotnet.packageId}.csproj`);
  expect(project).toContain(`<PackageId>${dotnet.packageId}</PackageId>`);
  expect(read('dotnet', dotnet.packageId, dotnet.namespace, 'EmailAddressAlias.cs')).toContain(`namespace ${dotnet.namespace}`);
});

test('the Go package is the module of package.json', () => {
  expect(read('go', goPackage, 'go.mod')).toMatch(new RegExp(`^module ${goModule}$`, 'm'));
});

test('the README tells how to install each language package under these names', () => {
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
  for (const command of [
    `npm install ${manifest.name}`,
    `pip install ${python.distName}`,
    `${java.maven.groupId}:${java.maven.artifactId}:${manifest.version}`,
    `dotnet add package ${dotnet.packageId}`,
    `go get ${goModule}`,
    `from ${python.module} import EmailAddressAlias`,
    `import ${java.package}.EmailAddressAlias;`,
    `using ${dotnet.namespace};`,
  ]) {
    expect(readme).toContain(command);
  }
});

test('every language package bundles the same npm tarball, with the assembly and the handler bundle', () => {
  const tarballs = [
    join('python', 'src', python.module, '_jsii'),
    join('java', 'src', 'main', 'resources', ...java.package.split('.')),
    join('dotnet', dotnet.packageId),
    join('go', goPackage, 'jsii'),
  ].map((folder) => {
    const [tarball] = readdirSync(join(generated, folder)).filter((file) => file.endsWith('.tgz'));
    return readFileSync(join(generated, folder, tarball));
  });
  for (const tarball of tarballs) expect(tarball.equals(tarballs[0])).toBe(true);
  const listing = runCommand('tar', ['tzf', pythonTarball()], { cwd: work }).stdout.split('\n');
  expect(listing).toEqual(expect.arrayContaining(['package/.jsii', 'package/assets/handler/index.js', 'package/dist/index.js']));
});

test('loaded as the jsii runtime loads it, the package finds its handler bundle and synthesizes', () => {
  // The runtime unpacks each tarball into a node_modules folder of its own and requires it
  // there; aws-cdk-lib and constructs come from their own tarballs, here from this project.
  const modules = join(work, 'runtime', 'node_modules');
  const unpacked = join(modules, manifest.name);
  mkdirSync(unpacked, { recursive: true });
  runCommand('tar', ['xzf', pythonTarball(), '--strip-components=1', '-C', unpacked], { cwd: work });
  for (const dependency of ['aws-cdk-lib', 'constructs']) {
    symlinkSync(join(projectRoot, 'node_modules', dependency), join(modules, dependency), 'dir');
  }
  const outdir = join(work, 'runtime', 'cdk.out');
  const { stdout } = runCommand(process.execPath, ['-e', SYNTH_SCRIPT, manifest.name, outdir], { cwd: join(work, 'runtime') });
  const { loadedFrom, assetPath } = JSON.parse(stdout);

  expect(loadedFrom.startsWith(unpacked)).toBe(true);
  expect(readFileSync(join(outdir, assetPath, 'index.js')).equals(readFileSync(join(unpacked, 'assets', 'handler', 'index.js')))).toBe(true);
});

const noWheel = whyNoOfflinePythonBuild();
if (noWheel) console.warn(`Skipping the Python wheel build: ${noWheel}.`);
(noWheel ? test.skip : test)('the Python wheel holds the package and the same npm tarball', () => {
  const { wheel } = buildPythonDistributions(join(generated, 'python'), join(work, 'wheel'), work);
  const tarball = pythonTarball();
  expect(unzipEntry(wheel, `${python.module}/_jsii/${basename(tarball)}`).equals(readFileSync(tarball))).toBe(true);
  expect(unzipEntry(wheel, `${python.module}/__init__.py`).toString()).toContain('class EmailAddressAlias(');
}, 200_000);

/** One file of a zip archive (a wheel), read with Python's zipfile. */
function unzipEntry(archive: string, entry: string): Buffer {
  const script = 'import base64, sys, zipfile; print(base64.b64encode(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2])).decode())';
  const { stdout } = runCommand('python3', ['-c', script, archive, entry], { cwd: dirname(archive) });
  return Buffer.from(stdout.trim(), 'base64');
}

function pythonTarball(): string {
  const folder = join(generated, 'python', 'src', python.module, '_jsii');
  return join(folder, readdirSync(folder).find((file) => file.endsWith('.tgz'))!);
}

// Synthesizes one alias with the package found from the current folder and prints where the
// package was loaded from and the handler asset's folder in the cloud assembly.
const SYNTH_SCRIPT = `
const [name, outdir] = process.argv.slice(1);
const { App, Stack } = require('aws-cdk-lib');
const { EmailAddressAlias } = require(name);
const app = new App({ outdir });
const stack = new Stack(app, 'Stack');
new EmailAddressAlias(stack, 'Alias', { instanceId: 'instance-1', emailAddressId: 'primary-1', aliasEmailAddressId: 'alias-1' });
const assembly = app.synth();
const fn = Object.values(assembly.getStackByName('Stack').template.Resources).find((r) => r.Type === 'AWS::Lambda::Function');
const assets = JSON.parse(require('fs').readFileSync(require('path').join(outdir, 'Stack.assets.json'), 'utf8'));
const asset = assets.files[fn.Properties.Code.S3Key.replace(/\\.zip$/, '')];
process.stdout.write(JSON.stringify({ loadedFrom: require.resolve(name), assetPath: asset.source.path }));
`;
