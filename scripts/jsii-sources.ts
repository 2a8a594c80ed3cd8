import { runCommand } from './run-command';
import { npmEnvironment } from '../test/package/npm-environment';

/**
 * Generates the package of every jsii target into `outdir` with `jsii-pacmak --code-only`: the
 * npm tarball (js/) and the Python, Java, .NET and Go sources, each bundling that tarball. Only
 * the Go sources are a finished package; the others still need their language's build, which
 * downloads from PyPI, Maven Central or NuGet.
 *
 * Run after `npm run build`: the npm pack inside runs without lifecycle scripts, so that it
 * packs the build that was tested instead of rebuilding dist/ under whoever reads it.
 */
export function generatePackageSources(projectRoot: string, outdir: string): void {
  runCommand(
    process.execPath,
    [require.resolve('jsii-pacmak/bin/jsii-pacmak'), '--code-only', '--no-npmignore', '--no-fingerprint', '--outdir', outdir],
    { cwd: projectRoot, env: { ...npmEnvironment(), npm_config_ignore_scripts: 'true' }, timeoutMs: 180_000 },
  );
}
