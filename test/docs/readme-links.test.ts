import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { expectedPackageFiles } from '../package/pack';
import { headingAnchors, markdownLinks } from './markdown-links';

// The README is read on GitHub, on Construct Hub, in the npm package and as the docstring of
// the other languages' packages: a link works in all of them when it is an anchor of the README,
// a file the npm package ships (package.json's "files", as the pack test pins them), an
// absolute link to a file of this repository, or another site.
const projectRoot = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));
const repository = `https://github.com/${/github\.com\/([^/]+\/[^/.]+)/.exec(manifest.repository.url)![1]}`;
const REPOSITORY_FILE = new RegExp(`^${repository.replace(/[.]/g, '\\.')}/(?:blob|tree)/main/([^#?]+)(?:#(.*))?$`);

const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
const shipped = new Set(expectedPackageFiles(projectRoot));

/** Why `target`, a link in the document at `file` (relative to the repository), does not work, or undefined. */
function brokenBecause(file: string, target: string, relativeMustShip: boolean): string | undefined {
  const repositoryFile = REPOSITORY_FILE.exec(target);
  if (repositoryFile) return missingTarget(repositoryFile[1], repositoryFile[2]);
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return /^(https|mailto):/.test(target) ? undefined : 'not https';
  const [path, anchor] = target.split('#');
  if (!path) return headingAnchors(read(file)).has(anchor) ? undefined : `no heading #${anchor} in ${file}`;
  const resolved = normalize(join(dirname(file), path)).split('\\').join('/');
  if (relativeMustShip && !shipped.has(resolved)) return `${resolved} is not in the npm package: link to ${repository}/blob/main/${resolved}`;
  return missingTarget(resolved, anchor);
}

function missingTarget(path: string, anchor: string | undefined): string | undefined {
  if (!existsSync(join(projectRoot, path))) return `no ${path} in the repository`;
  if (anchor && path.endsWith('.md') && !headingAnchors(read(path)).has(anchor)) return `no heading #${anchor} in ${path}`;
  return undefined;
}

const read = (path: string) => readFileSync(join(projectRoot, path), 'utf8');

const broken = (file: string, relativeMustShip: boolean) =>
  markdownLinks(read(file)).flatMap(({ target, line }) => {
    const why = brokenBecause(file, target, relativeMustShip);
    return why ? [`${file}:${line} ${target}: ${why}`] : [];
  });

test('the README is a manual, not a design document: under 350 lines', () => {
  expect(readme.split('\n').length).toBeLessThan(350);
});

test('every link of the README works wherever it is read', () => {
  expect(markdownLinks(readme).length).toBeGreaterThan(10);
  expect(broken('README.md', true)).toEqual([]);
});

test.each(['CONTRIBUTING.md', 'SECURITY.md', 'CHANGELOG.md', 'docs/design.md', 'docs/benchmarks.md'])(
  'every link of %s works on GitHub',
  (file) => {
    expect(broken(file, false)).toEqual([]);
  },
);

test('a relative link to a file the package does not ship is refused, with the link to use', () => {
  expect(brokenBecause('README.md', 'bench/results.md', true)).toBe(
    `bench/results.md is not in the npm package: link to ${repository}/blob/main/bench/results.md`,
  );
  expect(brokenBecause('README.md', `${repository}/blob/main/no-such-file.md`, true)).toBe('no no-such-file.md in the repository');
  expect(brokenBecause('README.md', '#no-such-heading', true)).toBe('no heading #no-such-heading in README.md');
  expect(brokenBecause('README.md', 'API.md', true)).toBeUndefined();
});
