/**
 * Reads CHANGELOG.md (Keep a Changelog layout): the release workflow takes a version's section as
 * the GitHub release's notes, and the tests check that package.json names the newest release.
 *
 * `tsx scripts/changelog.ts <version>` prints that version's section, without its heading.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One `## [version] - date` section. */
export interface ChangelogSection {
  readonly version: string;
  /** `YYYY-MM-DD`; undefined for `[Unreleased]`. */
  readonly date: string | undefined;
  /** The text between this heading and the next, trimmed. */
  readonly body: string;
}

const HEADING = /^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?\s*$/;

/** Every `## [...]` section, in the order of the file (the newest first). */
export function changelogSections(markdown: string): ChangelogSection[] {
  const lines = markdown.split('\n');
  const starts = lines.flatMap((line, index) => (HEADING.test(line) ? [index] : []));
  return starts.map((start, i) => {
    const [, version, date] = HEADING.exec(lines[start])!;
    // A section ends at the next heading, or at the link references below the last one.
    const end = starts[i + 1] ?? lines.findIndex((line, j) => j > start && /^\[[^\]]+\]: /.test(line));
    return { version, date, body: lines.slice(start + 1, end < 0 ? undefined : end).join('\n').trim() };
  });
}

/** The section of `version`; throws when it is missing or empty, so that no release goes out without notes. */
export function changelogSection(markdown: string, version: string): ChangelogSection {
  const section = changelogSections(markdown).find((candidate) => candidate.version === version);
  if (!section) throw new Error(`CHANGELOG.md has no "## [${version}] - YYYY-MM-DD" section.`);
  if (!section.body) throw new Error(`CHANGELOG.md's section for ${version} is empty.`);
  return section;
}

if (require.main === module) {
  const [version] = process.argv.slice(2);
  if (!version) {
    process.stderr.write('usage: tsx scripts/changelog.ts <version>\n');
    process.exit(2);
  }
  const markdown = readFileSync(join(__dirname, '..', 'CHANGELOG.md'), 'utf8');
  try {
    process.stdout.write(`${changelogSection(markdown, version).body}\n`);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}
