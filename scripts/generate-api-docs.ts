/**
 * Writes API.md from the TSDoc of the public API: `npm run docs`. A test renders it again and
 * compares, so the committed reference cannot fall behind the code.
 */
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { API_REFERENCE_FILE, PROJECT_ROOT, renderProjectApiReference } from './api-reference/project';

writeFileSync(API_REFERENCE_FILE, renderProjectApiReference());
console.log(`wrote ${relative(PROJECT_ROOT, API_REFERENCE_FILE)}`);
