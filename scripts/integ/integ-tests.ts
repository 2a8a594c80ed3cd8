/** The integration tests (test/integ.*.ts) and their snapshots (test/integ.*.ts.snapshot/). */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { snapshotDifferences } from './snapshot';
import { synthesizeIntegApp } from './synthesize';

export const PROJECT_ROOT = join(__dirname, '..', '..');
const TEST_DIR = join(PROJECT_ROOT, 'test');

export function integTests(): string[] {
  return readdirSync(TEST_DIR)
    .filter((name) => /^integ\..+\.ts$/.test(name))
    .map((name) => join(TEST_DIR, name));
}

export const snapshotOf = (testFile: string) => `${testFile}.snapshot`;

/** Synthesizes `test` and lists how it differs from its snapshot; the assembly is the caller's to remove. */
export function synthesizeAndCompare(test: string): { assembly: string; differences: string[] } {
  const assembly = synthesizeIntegApp(test);
  return { assembly, differences: snapshotDifferences(assembly, snapshotOf(test)) };
}

export const removeAssembly = (assembly: string) => rmSync(assembly, { recursive: true, force: true });
