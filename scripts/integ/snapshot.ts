/**
 * The committed snapshot of an integration test: its cloud assembly without the asset
 * folders, in the layout integ-runner uses (`<test file>.snapshot/`). The comparison looks at
 * what CloudFormation would receive, the templates, and at the test's own manifest.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, sep } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

type Template = { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> } & Record<string, unknown>;

/**
 * Replaces the snapshot with the assembly. Asset folders stay out (the templates hold their
 * hashes), and the stack traces in the metadata name files relative to the project, so that
 * the snapshot does not depend on where the repository is checked out.
 */
export function writeSnapshot(assemblyDir: string, snapshotDir: string, projectRoot: string): void {
  rmSync(snapshotDir, { recursive: true, force: true });
  cpSync(assemblyDir, snapshotDir, {
    recursive: true,
    filter: (source) => source === assemblyDir || !/^(asset\.|\.cache$)/.test(basename(source)),
  });
  for (const name of readdirSync(snapshotDir).filter((file) => file.endsWith('.json'))) {
    const file = join(snapshotDir, name);
    writeFileSync(file, readFileSync(file, 'utf8').split(projectRoot + sep).join(''));
  }
}

/** What differs between a fresh assembly and the snapshot, one line each; empty when nothing does. */
export function snapshotDifferences(assemblyDir: string, snapshotDir: string): string[] {
  if (!existsSync(snapshotDir)) return [`there is no snapshot at ${snapshotDir}`];
  const actual = comparedFiles(assemblyDir);
  const expected = comparedFiles(snapshotDir);
  const names = [...new Set([...actual.keys(), ...expected.keys()])].sort();
  return names.flatMap((name) => {
    const [now, before] = [actual.get(name), expected.get(name)];
    if (before === undefined) return [`${name} is new`];
    if (now === undefined) return [`${name} is no longer synthesized`];
    return describeChanges(name, before, now);
  });
}

function comparedFiles(dir: string): Map<string, Template> {
  const names = readdirSync(dir).filter((name) => name.endsWith('.template.json') || name === 'integ.json');
  return new Map(names.map((name) => [name, withoutSalt(JSON.parse(readFileSync(join(dir, name), 'utf8')))]));
}

/**
 * integ-tests assertions carry a `salt` of the synthesis time so that they run on every
 * deploy; it is the one value that changes without a change in the code.
 */
function withoutSalt(template: Template): Template {
  for (const resource of Object.values(template.Resources ?? {})) {
    if (resource.Type.startsWith('Custom::DeployAssert@') && resource.Properties) delete resource.Properties.salt;
  }
  return template;
}

/** The template sections, and within Resources the logical IDs, that differ. */
function describeChanges(name: string, before: Template, now: Template): string[] {
  const changed = (a: Record<string, unknown> = {}, b: Record<string, unknown> = {}) =>
    [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => !isDeepStrictEqual(a[key], b[key]));
  return changed(before, now).map((section) =>
    section === 'Resources'
      ? `${name}: resources ${changed(before.Resources, now.Resources).join(', ')} differ`
      : `${name}: ${section} differs`,
  );
}
