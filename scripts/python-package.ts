/**
 * Builds the Python distributions (sdist and wheel) of the package jsii-pacmak generated, with
 * `python -m build --no-isolation`: an isolated build would download its build tools from PyPI.
 *
 * The generated pyproject.toml asks for one setuptools release line (`setuptools~=75.3.2` with
 * jsii-pacmak 1.14x); a Python that has another installed refuses to build unless the check is
 * skipped (`--skip-dependency-check`). Any setuptools with PEP 517 support builds the same
 * files from the generated setup.py, so the check is skipped and the versions used are reported
 * next to the ones asked for. The release workflow builds with the requested ones.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand, tryCommand } from './run-command';

const BUILD_TOOLS = ['build', 'setuptools', 'wheel'];

/** A Python package's distributions, as `python -m build` wrote them. */
export interface PythonDistributions {
  readonly wheel: string;
  readonly sdist: string;
  /** The build tools' versions, and the ones the generated pyproject.toml asks for. */
  readonly builtWith: string;
}

const hasBuildTools = (python: string) =>
  tryCommand(python, ['-c', `import ${BUILD_TOOLS.join(', ')}`], { cwd: tmpdir() }).status === 0;

/** The local (file:) package indexes pip is configured with: they need no network. */
function localPackageIndexes(): string[] {
  const config = tryCommand('python3', ['-m', 'pip', 'config', 'list'], { cwd: tmpdir() }).stdout;
  return Array.from(config.matchAll(/^[\w.:-]*index-url='([^']*)'$/gm)).flatMap(([, urls]) =>
    urls.split(/\s+/).filter((url) => url.startsWith('file:')),
  );
}

/**
 * Why the local Python cannot build the distributions without the network, or undefined when
 * it can: it has the build tools, or pip has a local package index to install them from.
 */
export function whyNoOfflinePythonBuild(): string | undefined {
  if (tryCommand('python3', ['--version'], { cwd: tmpdir() }).status !== 0) return 'no python3';
  if (hasBuildTools('python3') || localPackageIndexes().length > 0) return undefined;
  return `python3 lacks ${BUILD_TOOLS.join(', ')} and pip has no local package index to install them from`;
}

/**
 * Builds the sdist and the wheel of the generated package in `source` into `outdir`. Uses
 * python3 when it has the build tools, otherwise a virtual environment in `workdir` that
 * installs them: from the local package indexes pip is configured with when there are any,
 * else from pip's own index.
 */
export function buildPythonDistributions(source: string, outdir: string, workdir: string): PythonDistributions {
  mkdirSync(outdir, { recursive: true });
  const python = hasBuildTools('python3') ? 'python3' : virtualEnvironmentWithBuildTools(workdir);
  const requested = /^requires = (.*)$/m.exec(readFileSync(join(source, 'pyproject.toml'), 'utf8'))?.[1] ?? '(none)';
  const used = runCommand(python, ['-c', 'import build, setuptools; print(f"setuptools {setuptools.__version__}, build {build.__version__}")'], {
    cwd: workdir,
  }).stdout.trim();
  runCommand(python, ['-m', 'build', '--no-isolation', '--skip-dependency-check', '--sdist', '--wheel', '--outdir', outdir, source], {
    cwd: source,
    timeoutMs: 180_000,
  });
  const find = (suffix: string) => {
    const file = readdirSync(outdir).find((name) => name.endsWith(suffix));
    if (!file) throw new Error(`python -m build wrote no ${suffix} into ${outdir}`);
    return join(outdir, file);
  };
  return { wheel: find('.whl'), sdist: find('.tar.gz'), builtWith: `${used} (the generated pyproject.toml requires ${requested})` };
}

function virtualEnvironmentWithBuildTools(workdir: string): string {
  const venv = join(workdir, 'venv');
  runCommand('python3', ['-m', 'venv', venv], { cwd: workdir });
  const python = join(venv, 'bin', 'python');
  const [index, ...more] = localPackageIndexes();
  const indexes = index ? ['--index-url', index, ...more.flatMap((url) => ['--extra-index-url', url])] : [];
  runCommand(python, ['-m', 'pip', 'install', '--quiet', ...indexes, ...BUILD_TOOLS], { cwd: workdir, timeoutMs: 120_000 });
  return python;
}
