import { App, CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_ENVIRONMENT } from '../fixtures/environment';
import { ResponseReceiver } from './response-receiver';
import { SimulatedAccount } from './simulated-account';
import { type ResourceOutcome, StackScheduler } from './stack-scheduler';

/**
 * A custom-resource handler that waits `SleepMs`, then answers `Answer` (SUCCESS, FAILED or
 * never) on the ResponseURL, and reports its function's settings in Data.
 */
const HANDLER = `
const http = require('node:http');
exports.handler = async (event, context) => {
  const { SleepMs, Answer } = event.ResourceProperties;
  const remainingAtStart = context.getRemainingTimeInMillis();
  await new Promise((resolve) => setTimeout(resolve, Number(SleepMs)));
  if (Answer === 'never') return;
  const body = JSON.stringify({
    Status: Answer, Reason: Answer === 'FAILED' ? 'asked to fail' : undefined,
    PhysicalResourceId: event.PhysicalResourceId ?? event.LogicalResourceId + '-physical',
    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId,
    Data: { remainingAtStart, setting: process.env.SETTING, endpoint: process.env.AWS_ENDPOINT_URL_CONNECT },
  });
  await new Promise((resolve, reject) => {
    const request = http.request(event.ResponseURL, { method: 'PUT', headers: { 'content-length': Buffer.byteLength(body) } }, (response) => {
      response.resume();
      response.on('end', resolve);
    });
    request.on('error', reject);
    request.end(body);
  });
};
`;

interface TestResource {
  readonly sleepMs: number;
  readonly answer?: 'SUCCESS' | 'FAILED' | 'never';
  readonly dependsOn?: string[];
  /** Takes an attribute of this resource into its properties (Fn::GetAtt). */
  readonly readsAttributeOf?: string;
  readonly serviceTimeout?: Duration;
}

// The first synthesis loads aws-cdk-lib; the runs themselves take a second or two.
jest.setTimeout(20_000);

let root: string;
let receiver: ResponseReceiver;
// An account per test: the functions of the tests share a name, and Lambda counts concurrency by function.
let account: SimulatedAccount;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'stack-scheduler-test-'));
  receiver = await ResponseReceiver.start();
});
beforeEach(async () => {
  account = await SimulatedAccount.start();
});
afterEach(() => account.stop());
afterAll(async () => {
  await receiver.stop();
  rmSync(root, { recursive: true, force: true });
});

function schedulerFor(resources: Record<string, TestResource>, fn: { timeout?: Duration; reservedConcurrency?: number } = {}) {
  const code = mkdtempSync(join(root, 'code-'));
  writeFileSync(join(code, 'index.js'), HANDLER);
  const app = new App({ outdir: mkdtempSync(join(root, 'cdk.out-')) });
  const stack = new Stack(app, 'SchedulerTestStack', { env: TEST_ENVIRONMENT });
  const handler = new lambda.Function(stack, 'Handler', {
    code: lambda.Code.fromAsset(code),
    handler: 'index.handler',
    runtime: lambda.Runtime.NODEJS_22_X,
    timeout: fn.timeout ?? Duration.seconds(10),
    reservedConcurrentExecutions: fn.reservedConcurrency,
    environment: { SETTING: 'from the template' },
    // Lambda would retry a timed-out invocation a minute later; these tests are about the first.
    retryAttempts: 0,
  });
  const made = new Map<string, CustomResource>();
  for (const [id, resource] of Object.entries(resources)) {
    const properties: Record<string, unknown> = { SleepMs: resource.sleepMs, Answer: resource.answer ?? 'SUCCESS' };
    if (resource.readsAttributeOf) properties.Read = made.get(resource.readsAttributeOf)!.getAttString('remainingAtStart');
    const custom = new CustomResource(stack, id, {
      serviceToken: handler.functionArn,
      resourceType: 'Custom::Test',
      properties,
      serviceTimeout: resource.serviceTimeout,
    });
    resource.dependsOn?.forEach((other) => custom.node.addDependency(made.get(other)!));
    made.set(id, custom);
  }
  const artifact = app.synth().getStackArtifact(stack.artifactId);
  const logicalIds = new Map([...made].map(([id, custom]) => [stack.resolve((custom.node.defaultChild as any).logicalId), id]));
  const workDirectory = join(root, `work-${made.size}-${Date.now()}`);
  mkdirSync(workDirectory);
  const scheduler = new StackScheduler({ stack: artifact, receiver, connectEndpoint: 'http://127.0.0.1:9', workDirectory, account });
  /** Outcomes by the test's resource names. */
  const byName = (outcomes: ResourceOutcome[]) => new Map(outcomes.map((outcome) => [logicalIds.get(outcome.logicalResourceId)!, outcome]));
  return { scheduler, byName, logicalIdOf: (name: string) => [...logicalIds].find(([, id]) => id === name)![0] };
}

test('starts each resource once its dependencies are complete, and the others all at once', async () => {
  const { scheduler, byName } = schedulerFor({
    First: { sleepMs: 400 },
    AfterFirst: { sleepMs: 100, dependsOn: ['First'] },
    ReadsFirst: { sleepMs: 100, readsAttributeOf: 'First' },
    Independent: { sleepMs: 400 },
  });
  const created = byName((await scheduler.create()).resources);

  expect([...created.values()].every((outcome) => outcome.status === 'SUCCESS')).toBe(true);
  expect(created.get('Independent')!.endedAtMs).toBeLessThan(created.get('First')!.endedAtMs + 100);
  for (const name of ['AfterFirst', 'ReadsFirst']) {
    expect(created.get(name)!.endedAtMs).toBeGreaterThanOrEqual(created.get('First')!.endedAtMs + 100);
  }
});

test('deletes in reverse: a resource once every resource depending on it is gone', async () => {
  const { scheduler, byName, logicalIdOf } = schedulerFor({
    First: { sleepMs: 100 },
    AfterFirst: { sleepMs: 400, dependsOn: ['First'] },
  });
  const deleted = byName(
    (await scheduler.delete(new Map(['First', 'AfterFirst'].map((name) => [logicalIdOf(name), `${name}-physical`])))).resources,
  );

  expect(deleted.get('First')).toMatchObject({ status: 'SUCCESS', physicalResourceId: 'First-physical' });
  expect(deleted.get('First')!.endedAtMs).toBeGreaterThanOrEqual(deleted.get('AfterFirst')!.endedAtMs + 100);
});

test("gives the function its template's timeout and environment, and the Connect endpoint", async () => {
  const { scheduler } = schedulerFor({ Only: { sleepMs: 0 } }, { timeout: Duration.seconds(7) });
  await scheduler.create();
  const [answer] = receiver.acceptedBodies().slice(-1) as Array<{ Data: Record<string, unknown> }>;

  // The template's 7 s, not Lambda's default 3 s, however busy the machine.
  expect(answer.Data.remainingAtStart).toBeGreaterThan(3_000);
  expect(answer.Data.remainingAtStart).toBeLessThanOrEqual(7_000);
  expect(answer.Data).toMatchObject({ setting: 'from the template', endpoint: 'http://127.0.0.1:9' });
});

test('no answer within the ServiceTimeout, or after the function timed out, is no answer', async () => {
  const { scheduler, byName } = schedulerFor(
    {
      Silent: { sleepMs: 0, answer: 'never', serviceTimeout: Duration.seconds(1) },
      Late: { sleepMs: 1_500, serviceTimeout: Duration.seconds(5) },
    },
    { timeout: Duration.seconds(1) },
  );
  const created = byName((await scheduler.create()).resources);
  await scheduler.drain();

  expect(created.get('Silent')).toMatchObject({ status: 'no answer' });
  expect(created.get('Silent')!.endedAtMs).toBeGreaterThanOrEqual(1_000);
  expect(created.get('Late')).toMatchObject({ status: 'no answer' });
});

test('a resource whose dependency failed is not started', async () => {
  const { scheduler, byName } = schedulerFor({
    Failing: { sleepMs: 0, answer: 'FAILED' },
    Dependent: { sleepMs: 0, dependsOn: ['Failing'] },
  });
  const created = byName((await scheduler.create()).resources);

  expect(created.get('Failing')).toMatchObject({ status: 'FAILED', reason: 'asked to fail' });
  expect(created.get('Dependent')).toMatchObject({ status: 'not started' });
});

test('invocations beyond the reserved concurrency wait for a free one', async () => {
  const { scheduler, byName } = schedulerFor(
    { A: { sleepMs: 400 }, B: { sleepMs: 400 }, C: { sleepMs: 400 }, D: { sleepMs: 400 } },
    { reservedConcurrency: 2 },
  );
  const ends = [...byName((await scheduler.create()).resources).values()].map((outcome) => outcome.endedAtMs).sort((a, b) => a - b);

  // The third and fourth start only once the first two have ended: 400 ms of sleep after them.
  expect(ends[2]).toBeGreaterThanOrEqual(ends[0] + 400);
  expect(ends[3]).toBeGreaterThanOrEqual(ends[1] + 400);
});
