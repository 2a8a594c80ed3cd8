/**
 * A function for the tests of the Lambda models: an SQS event's records, or a plain event's
 * `Body`, say what to do ("throw", "retry…" to be reported as a batch item failure, anything
 * else to succeed), after a short wait so that invocations overlap.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InProcessFunction } from './in-process-lambda';
import type { ConcurrencyPool } from './lambda-concurrency';

const HANDLER = `
exports.handler = async (event) => {
  const records = event.Records ?? [{ messageId: 'plain', body: event.Body }];
  await new Promise((resolve) => setTimeout(resolve, 20));
  if (records.some((record) => record.body === 'throw')) throw new Error('asked to throw');
  return { batchItemFailures: records.filter((r) => r.body.startsWith('retry')).map((r) => ({ itemIdentifier: r.messageId })) };
};
`;

export function testFunction(parent: string, pool: ConcurrencyPool, name = 'test-function', timeoutMs = 5_000): InProcessFunction {
  const directory = mkdtempSync(join(parent, 'code-'));
  writeFileSync(join(directory, 'index.js'), HANDLER);
  return new InProcessFunction({
    functionArn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
    codeDirectory: directory,
    handlerSetting: 'index.handler',
    timeoutMs,
    memorySizeMb: 128,
    environment: {},
    concurrency: pool,
  });
}
