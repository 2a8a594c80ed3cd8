import { readWorkflow, schemaErrors, secretsOf } from './workflow';

// CI checks every pull request the way .ci/run does locally, and publishes nothing.
const workflow = readWorkflow('ci.yml');

test('GitHub accepts the workflow (its schema, checked offline)', () => {
  expect(schemaErrors('ci.yml')).toBe('');
});

test('it runs on pull requests and on pushes to main', () => {
  expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
  expect(workflow.on.push).toEqual({ branches: ['main'] });
});

test('it runs .ci/run, reads no secret and may only read the repository', () => {
  const jobs = Object.values(workflow.jobs);
  expect(jobs.flatMap((job) => job.steps.map((step) => step.run))).toContain('bash .ci/run');
  expect(workflow.permissions).toEqual({ contents: 'read' });
  for (const job of jobs) {
    expect(secretsOf(job)).toEqual([]);
    expect(job.permissions).toBeUndefined();
  }
});
