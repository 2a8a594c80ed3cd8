import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runCommand } from '../../scripts/run-command';
import { npmEnvironment } from './npm-environment';

/** What `npm pack` wrote. */
export interface PackedTarball {
  readonly path: string;
  /** Paths inside the package, sorted. */
  readonly files: string[];
  /** The tarball's size in bytes. */
  readonly size: number;
  readonly unpackedSize: number;
}

/**
 * Packs the project as `npm publish` would. Lifecycle scripts are skipped: `npm test` has just
 * built dist/ and the handler bundle, and rebuilding here would rewrite them under the other
 * test files that read them. {@link assertBuildIsFresh} guards against packing a stale build.
 */
export function packProject(projectRoot: string, destination: string): PackedTarball {
  const { stdout } = runCommand('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], {
    cwd: projectRoot,
    env: npmEnvironment(),
  });
  const [report] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[]; size: number; unpackedSize: number }];
  return {
    path: join(destination, report.filename),
    files: report.files.map((file) => file.path).sort(),
    size: report.size,
    unpackedSize: report.unpackedSize,
  };
}

/**
 * Exactly the files the published package must hold: the compiled construct (one .js and one
 * .d.ts per lib/ source), its jsii assembly (which the other languages' packages load), the
 * pre-bundled handler, and the documents. Nothing else: no tests,
 * no TypeScript sources, no handler sources, no cloud assembly.
 */
export function expectedPackageFiles(projectRoot: string): string[] {
  const compiled = sourcesUnder(join(projectRoot, 'lib')).flatMap((source) => {
    const stem = source.replace(/\.ts$/, '');
    return [`dist/${stem}.js`, `dist/${stem}.d.ts`];
  });
  const documents = ['API.md', 'CHANGELOG.md', 'LICENSE', 'README.md'];
  return ['package.json', '.jsii', 'assets/handler/index.js', ...documents, ...compiled].sort();
}

/**
 * Throws when dist/ or the handler bundle is older than a source it is built from, or missing:
 * the tarball would then ship something other than the code under test.
 */
export function assertBuildIsFresh(projectRoot: string): void {
  const builds = [
    { output: 'dist/index.js', sources: ['lib'] },
    { output: '.jsii', sources: ['lib'] },
    { output: 'assets/handler/index.js', sources: ['lib', 'lambda'] },
  ];
  for (const { output, sources } of builds) {
    const outputPath = join(projectRoot, output);
    const built = statSync(outputPath, { throwIfNoEntry: false })?.mtimeMs;
    const newer = sources
      .flatMap((folder) => sourcesUnder(join(projectRoot, folder)).map((source) => join(projectRoot, folder, source)))
      .filter((source) => built === undefined || statSync(source).mtimeMs > built);
    if (built === undefined || newer.length > 0) {
      const why = built === undefined ? 'is missing' : `is older than ${newer.map((s) => relative(projectRoot, s)).join(', ')}`;
      throw new Error(`${output} ${why}: run \`npm run build\` (npm test does) before this test.`);
    }
  }
}

/** TypeScript sources below a folder (not declarations), relative to it. */
function sourcesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => file.split('\\').join('/'));
}
