import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { changelogSection, changelogSections } from '../../scripts/changelog';
import { runCommand } from '../../scripts/run-command';

// A tarball or tag is labelled with package.json's version: it must be the newest release the
// CHANGELOG describes, so that what a user installs is what the notes of that version say.
const projectRoot = join(__dirname, '..', '..');
const markdown = readFileSync(join(projectRoot, 'CHANGELOG.md'), 'utf8');
const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };
const sections = changelogSections(markdown);

test('an [Unreleased] section sits on top, for the next changes', () => {
  expect(sections[0]).toMatchObject({ version: 'Unreleased', date: undefined });
});

test("package.json's version is the newest release in the CHANGELOG, with a date", () => {
  expect(sections[1].version).toBe(version);
  expect(sections[1].date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
});

test('every release is dated, and the newest first', () => {
  const releases = sections.slice(1);
  for (const release of releases) expect(release.date).toBeDefined();
  const dates = releases.map((release) => release.date!);
  expect([...dates].sort().reverse()).toEqual(dates);
});

test('every section heading has its link reference', () => {
  for (const section of sections) expect(markdown).toMatch(new RegExp(`^\\[${section.version.replace(/\./g, '\\.')}\\]: https://`, 'm'));
});

test("the release notes of a version are its section alone: not the heading, not the next version's", () => {
  const body = changelogSection(markdown, version).body;
  expect(body.startsWith('### ')).toBe(true);
  expect(body).not.toMatch(/^## /m);
  expect(body).not.toMatch(/^\[[^\]]+\]: /m);
  const previous = sections[2];
  expect(body).not.toContain(previous.body);
});

test('the last section stops before the link references', () => {
  const last = sections[sections.length - 1];
  expect(last.body).not.toMatch(/^\[[^\]]+\]: /m);
  expect(last.body.length).toBeGreaterThan(0);
});

test('a version with no section, or an empty one, is refused rather than released without notes', () => {
  expect(() => changelogSection(markdown, '9.9.9')).toThrow('CHANGELOG.md has no "## [9.9.9] - YYYY-MM-DD" section.');
  expect(() => changelogSection(markdown, 'Unreleased')).toThrow("CHANGELOG.md's section for Unreleased is empty.");
});

test('the release workflow\'s command prints the section', () => {
  const { stdout } = runCommand(process.execPath, [require.resolve('tsx/cli'), join('scripts', 'changelog.ts'), version], { cwd: projectRoot });
  expect(stdout.trim()).toBe(changelogSection(markdown, version).body);
});
