/** Where this project's public API and its reference live, shared by `npm run docs` and the tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiDeclaration, readPublicApi } from './public-api';
import { renderApiReference } from './render-markdown';

export const PROJECT_ROOT = join(__dirname, '..', '..');
export const API_REFERENCE_FILE = join(PROJECT_ROOT, 'API.md');
const ENTRY_POINT = 'lib/index.ts';

export function readProjectApi(): ApiDeclaration[] {
  return readPublicApi(join(PROJECT_ROOT, ENTRY_POINT), join(PROJECT_ROOT, 'tsconfig.build.json'));
}

export function renderProjectApiReference(declarations: ApiDeclaration[] = readProjectApi()): string {
  const { name } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));
  return renderApiReference(declarations, name, ENTRY_POINT);
}
