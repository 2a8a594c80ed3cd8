import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { tryCommand } from '../../scripts/run-command';

/** The parts of a GitHub Actions workflow the tests read. */
export interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

export interface Job {
  readonly needs?: string | string[];
  readonly permissions?: Record<string, string>;
  readonly steps: Step[];
}

export interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}

const projectRoot = join(__dirname, '..', '..');

export const workflowPath = (name: string) => join(projectRoot, '.github', 'workflows', name);

export function readWorkflow(name: string): Workflow {
  return parse(readFileSync(workflowPath(name), 'utf8')) as Workflow;
}

/** The names of the secrets a job's steps read (`${{ secrets.NAME }}`), sorted. */
export function secretsOf(job: Job): string[] {
  const text = JSON.stringify(job);
  return [...new Set(Array.from(text.matchAll(/\$\{\{\s*secrets\.(\w+)\s*\}\}/g), ([, name]) => name))].sort();
}

/** The shell commands of a job, one string. */
export const commandsOf = (job: Job) => job.steps.flatMap((step) => (step.run ? [step.run] : [])).join('\n');

/**
 * The schema errors action-validator (installed with the devDependencies, run offline) finds
 * in a workflow, or '' when it finds none.
 */
export function schemaErrors(name: string): string {
  const cli = join(projectRoot, 'node_modules', '@action-validator', 'cli', 'cli.mjs');
  const run = tryCommand(process.execPath, [cli, workflowPath(name)], { cwd: projectRoot });
  return run.status === 0 ? '' : `${run.stdout}${run.stderr}` || `exited with ${run.status}`;
}
