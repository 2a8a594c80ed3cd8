/**
 * A deploy storm in seconds: every alias of a stack created at once and deleted at once under
 * an account quota, the built handlers answering a CloudFormation that starts them all with no
 * cap. The quota is Connect's default rate ×10, 20 requests/s; its burst stays 5, a small share
 * of the storm as at full scale. Release 0.1.0 fails such a storm once its aliases outnumber what
 * its timeout lets the quota serve: at the default quota, 300 aliases against its 2-minute
 * timeout. Shrunk to 75 aliases at 20 requests/s, the same proportion is a 3-second timeout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { runStorm, type StormFigures } from '../support/storm-run';
import { type AddressPair, type AliasLibrary, releaseLibrary, synthesizeAliasStack } from '../support/storm-stack';
import * as currentLibrary from '../../lib';

const QUOTA = { rate: 20, burst: 5 };
const ALIASES = 75;
const RELEASE_0_1_0 = 'bbfd583';
// 300 aliases at 2 requests/s against 120 s: aliases ÷ (rate × timeout) = 1.25.
const RELEASE_TIMEOUT = Duration.seconds(ALIASES / (QUOTA.rate * 1.25));

const pairs: AddressPair[] = Array.from({ length: ALIASES }, (_, index) => ({
  emailAddressId: `storm-primary-${index}`,
  aliasEmailAddressId: `storm-alias-${index}`,
}));

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'alias-storm-test-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function storm(
  library: AliasLibrary,
  props: Record<string, unknown>,
  teardown: boolean,
  account: { readonly lambdaConcurrency?: number; readonly otherRequestsPerSecond?: number } = {},
): Promise<StormFigures> {
  const stack = synthesizeAliasStack(library, pairs, props, mkdtempSync(join(root, 'cdk.out-')));
  return runStorm({ stacks: [{ stack, pairs }], quota: QUOTA, workDirectory: root, teardown, timeScale: QUOTA.rate / 2, ...account });
}

// Connect's default quota ×10: a new account's Lambda concurrency of 10, and a contact centre
// whose own integrations take a quarter of the quota (0.5 of 2 requests/s, scaled alike).
// Before the work queue, the first failed (aliases asleep in every execution, the rest waiting
// in Lambda's queue past their ServiceTimeout), and the second throttled 19 to 38% of the
// integrations' requests.
test.each([
  ['in a new account, whose Lambda concurrency is 10', { lambdaConcurrency: 10 }],
  ['beside integrations that take a quarter of the quota', { otherRequestsPerSecond: QUOTA.rate / 4 }],
])(
  `${ALIASES} aliases created and deleted at once %s all succeed, with at most two executions and few of the others' requests throttled`,
  async (_, account) => {
    const figures = await storm(currentLibrary, { connectRequestsPerSecond: QUOTA.rate }, true, account);

    for (const operation of [figures.create, figures.teardown!.delete]) {
      expect(operation).toMatchObject({ aliases: ALIASES, succeeded: ALIASES, reasons: [] });
      expect(operation.mostExecutionsAtOnce).toBeLessThanOrEqual(2);
      expect(operation.otherCallers.throttled).toBeLessThanOrEqual(0.1 * (operation.otherCallers.served + operation.otherCallers.throttled));
    }
    expect(figures.teardown!.associatedAfterDelete).toBe(0);
  },
  120_000,
);

test(
  `${ALIASES} aliases created at once and deleted at once all succeed, told the quota is ${QUOTA.rate} requests/s`,
  async () => {
    const figures = await storm(currentLibrary, { connectRequestsPerSecond: QUOTA.rate }, true);

    expect(figures.create).toMatchObject({ aliases: ALIASES, succeeded: ALIASES, reasons: [] });
    expect(figures.associatedAfterCreate).toBe(ALIASES);
    expect(figures.teardown).toMatchObject({
      recreatedBeforeDelete: 0,
      delete: { aliases: ALIASES, succeeded: ALIASES, reasons: [] },
      associatedAfterDelete: 0,
    });
    // Paced to the quota rather than retried at will: in this storm 0.1.0, given two minutes,
    // also succeeds, but with about 3.5 throttled requests for each one served.
    for (const { requests } of [figures.create, figures.teardown!.delete]) {
      expect(requests.throttled).toBeLessThan(2 * requests.served);
    }
  },
  120_000,
);

test(
  `0.1.0 fails the same storm with its timeout in the proportion of its default (${RELEASE_TIMEOUT.toHumanString()})`,
  async () => {
    const release = releaseLibrary(RELEASE_0_1_0, root);
    const figures = await storm(release, { timeout: RELEASE_TIMEOUT }, false);

    expect(figures.create.aliases).toBe(ALIASES);
    expect(figures.create.succeeded).toBeLessThan(ALIASES);
    expect(figures.create.failed + figures.create.noAnswer).toBe(ALIASES - figures.create.succeeded);
    // Failed on throttling, or not answered at all (on a busy machine, its timeout runs out first).
    for (const reason of figures.create.reasons) expect(reason).toMatch(/ThrottlingException|Timed out/);
  },
  120_000,
);
