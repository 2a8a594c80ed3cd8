import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findDocumentationGaps } from '../../scripts/api-reference/documentation-gaps';
import { API_REFERENCE_FILE, PROJECT_ROOT, readProjectApi, renderProjectApiReference } from '../../scripts/api-reference/project';
import { ApiDeclaration, readPublicApi } from '../../scripts/api-reference/public-api';
import { formatDefault } from '../../scripts/api-reference/render-markdown';

// Reading the API loads all of aws-cdk-lib's declarations: seconds, so once for the file.
const TIMEOUT = 60_000;
let projectApi: ApiDeclaration[];
beforeAll(() => {
  projectApi = readProjectApi();
}, TIMEOUT);

test('API.md is the reference rendered from the current TSDoc', () => {
  const committed = readFileSync(API_REFERENCE_FILE, 'utf8');
  if (committed !== renderProjectApiReference(projectApi)) {
    throw new Error('API.md is out of date with the TSDoc in lib/: run `npm run docs` and commit API.md.');
  }
});

test('every public declaration and member has a description, and every optional prop a @default', () => {
  expect(findDocumentationGaps(projectApi)).toEqual([]);
});

test(
  'the documentation check finds each kind of gap, and ignores private members',
  () => {
    const fixture = join(__dirname, 'fixtures', 'documentation-gaps.ts');
    const api = readPublicApi(fixture, join(PROJECT_ROOT, 'tsconfig.build.json'));
    expect(findDocumentationGaps(api)).toEqual([
      'FixtureProps.optionalWithoutDefault: optional but no @default',
      'FixtureProps.requiredWithDefault: required but has a @default',
      'FixtureProps.undocumented: no description',
      'UndocumentedClass: no description',
      'UndocumentedClass.undocumented: no description',
    ]);
  },
  TIMEOUT,
);

test.each([
  ['- the instance of the address ARNs', 'the instance of the address ARNs'],
  ['RemovalPolicy.DESTROY - the association is removed', '`RemovalPolicy.DESTROY` - the association is removed'],
  ['Duration.minutes(2)', '`Duration.minutes(2)`'],
])('@default %j renders as %j', (tag, rendered) => {
  expect(formatDefault(tag)).toBe(rendered);
});
