import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as spec from '@jsii/spec';
import { findDocumentationGaps } from '../../scripts/documentation-gaps';
import { runCommand } from '../../scripts/run-command';
import { assertBuildIsFresh } from '../package/pack';
import { FIXTURE_TYPES } from './fixtures/documentation-gaps';

// API.md is what jsii-docgen, Construct Hub's generator, renders from the jsii assembly that
// the build writes; both read the docs in lib/.
const projectRoot = join(__dirname, '..', '..');
let assembly: spec.Assembly;
beforeAll(() => {
  assertBuildIsFresh(projectRoot);
  assembly = JSON.parse(readFileSync(join(projectRoot, '.jsii'), 'utf8'));
});

test('API.md is the reference jsii-docgen renders from the current docs', () => {
  const work = mkdtempSync(join(tmpdir(), 'alias-docgen-'));
  try {
    const rendered = join(work, 'API.md');
    runCommand(process.execPath, [require.resolve('jsii-docgen/bin/jsii-docgen'), '--output', rendered], { cwd: projectRoot });
    if (readFileSync(join(projectRoot, 'API.md'), 'utf8') !== readFileSync(rendered, 'utf8')) {
      throw new Error('API.md is out of date with the docs in lib/: run `npm run build && npm run docs` and commit API.md.');
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}, 60_000);

test('every public type, member and parameter has a description, and every optional prop a @default', () => {
  expect(findDocumentationGaps(Object.values(assembly.types ?? {}))).toEqual([]);
});

test('the documentation check finds each kind of gap', () => {
  expect(findDocumentationGaps(FIXTURE_TYPES)).toEqual([
    'FixtureProps.optionalWithoutDefault: optional but no @default',
    'FixtureProps.requiredWithDefault: required but has a @default',
    'FixtureProps.undocumented: no description',
    'UndocumentedClass: no description',
    'UndocumentedClass.undocumented: no description',
    'UndocumentedClass.constructor(undocumented): no description',
    'UndocumentedClass.read: no description',
    'UndocumentedClass.read(input): no description',
  ]);
});
