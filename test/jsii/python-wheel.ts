import { mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCommand, tryCommand } from '../../scripts/run-command';

const BUILD_TOOLS = ['build', 'setuptools', 'wheel'];

const hasBuildTools = (python: string) =>
  tryCommand(python, ['-c', `import ${BUILD_TOOLS.join(', ')}`], { cwd: tmpdir() }).status === 0;

/** The local (file:) package indexes pip is configured with: they need no network. */
function localPackageIndexes(): string[] {
  const config = tryCommand('python3', ['-m', 'pip', 'config', 'list'], { cwd: tmpdir() }).stdout;
  return Array.from(config.matchAll(/^[\w.:-]*index-url='([^']*)'$/gm)).flatMap(([, urls]) =>
    urls.split(/\s+/).filter((url) => url.startsWith('file:')),
  );
}

/** Why the local Python cannot build a wheel here, or undefined when it can. */
export function whyNoPythonWheel(): string | undefined {
  if (tryCommand('python3', ['--version'], { cwd: tmpdir() }).status !== 0) return 'no python3';
  if (hasBuildTools('python3') || localPackageIndexes().length > 0) return undefined;
  return `python3 lacks ${BUILD_TOOLS.join(', ')} and pip has no local package index to install them from`;
}

/**
 * Builds the wheel of a package jsii-pacmak generated, as its release would, with
 * `python -m build --no-isolation` (an isolated build would download its build tools).
 * Uses python3 when it has the tools, otherwise a virtual environment that installs them
 * from the local package indexes pip is configured with, never from the network.
 */
export function buildPythonWheel(source: string, outdir: string): string {
  mkdirSync(outdir, { recursive: true });
  const python = hasBuildTools('python3') ? 'python3' : virtualEnvironmentWithBuildTools(outdir);
  // The generated pyproject.toml pins setuptools more narrowly than the local copies meet;
  // any setuptools that builds the wheel will do for this check.
  runCommand(python, ['-m', 'build', '--no-isolation', '--skip-dependency-check', '--wheel', '--outdir', outdir, source], {
    cwd: source,
    timeoutMs: 180_000,
  });
  const wheel = readdirSync(outdir).find((file) => file.endsWith('.whl'));
  if (!wheel) throw new Error(`python -m build wrote no wheel into ${outdir}`);
  return join(outdir, wheel);
}

function virtualEnvironmentWithBuildTools(workdir: string): string {
  const venv = join(workdir, 'venv');
  runCommand('python3', ['-m', 'venv', venv], { cwd: workdir });
  const python = join(venv, 'bin', 'python');
  const [index, ...more] = localPackageIndexes();
  const indexes = ['--index-url', index, ...more.flatMap((url) => ['--extra-index-url', url])];
  runCommand(python, ['-m', 'pip', 'install', '--quiet', ...indexes, ...BUILD_TOOLS], { cwd: workdir, timeoutMs: 120_000 });
  return python;
}

/** One file of a zip archive (a wheel), read with Python's zipfile. */
export function unzipEntry(archive: string, entry: string): Buffer {
  const script = 'import base64, sys, zipfile; print(base64.b64encode(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2])).decode())';
  const { stdout } = runCommand('python3', ['-c', script, archive, entry], { cwd: dirname(archive) });
  return Buffer.from(stdout.trim(), 'base64');
}
