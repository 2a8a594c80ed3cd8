/**
 * `npm run package`: builds the package of every language into package.json's jsii.outdir
 * (dist-jsii/, where `jsii-pacmak` writes by default and the release workflow uploads from), as
 * far as a machine without PyPI, Maven Central or NuGet allows:
 *
 * - js/      the npm tarball, as `npm pack` makes it;
 * - python/  the sdist and the wheel, built with the local Python (see python-package.ts);
 * - go/      the Go module's sources, which is what its repository receives;
 * - java/, dotnet/  the generated sources, to be built where Maven Central and NuGet are
 *   reachable (the release workflow builds the jar and the .nupkg with `jsii-pacmak`).
 *
 * Run after `npm run build` (the npm script does). Prints each file it wrote with its size.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { generatePackageSources } from './jsii-sources';
import { buildPythonDistributions } from './python-package';
import { assertBuildIsFresh } from '../test/package/pack';

const root = join(__dirname, '..');
const SOURCES_ONLY = ['java', 'dotnet', 'go'];

function main(): void {
  const outdir = join(root, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).jsii.outdir);
  assertBuildIsFresh(root);
  rmSync(outdir, { recursive: true, force: true });
  const work = mkdtempSync(join(tmpdir(), 'alias-package-'));
  try {
    const generated = join(work, 'generated');
    generatePackageSources(root, generated);
    for (const folder of ['js', ...SOURCES_ONLY]) cpSync(join(generated, folder), join(outdir, folder), { recursive: true });
    const { builtWith } = buildPythonDistributions(join(generated, 'python'), join(outdir, 'python'), work);
    console.log(`Python distributions built with ${builtWith}.`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  report(outdir);
}

/** One line per package: its files and their total size. */
function report(outdir: string): void {
  for (const folder of readdirSync(outdir).sort()) {
    const files = readdirSync(join(outdir, folder), { recursive: true, encoding: 'utf8' })
      .map((file) => join(outdir, folder, file))
      .filter((file) => statSync(file).isFile());
    const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
    const total = files.reduce((sum, file) => sum + statSync(file).size, 0);
    const what = SOURCES_ONLY.includes(folder)
      ? `${files.length} generated files, ${kib(total)}`
      : files.map((file) => `${relative(outdir, file)} (${kib(statSync(file).size)})`).join(', ');
    console.log(`${relative(root, join(outdir, folder))}: ${what}`);
  }
}

main();
