import { join } from 'node:path';
import { runNpmAudit } from '../support/npm-audit';
import { shippedPackageLocations } from '../support/shipped-packages';

// Fails on a high or critical advisory against what a user of this library receives: runtime
// dependencies and the SDK bundled into the handler asset. Without advisories (no registry, or
// its audit endpoint refuses) the check is skipped, loudly: that is not a pass.
const repoRoot = join(__dirname, '..', '..');
const shipped = () => shippedPackageLocations(repoRoot, join(repoRoot, 'lambda', 'index.ts'));

test('the audited set includes the Connect client bundled into the handler', async () => {
  expect(await shipped()).toContain('node_modules/@aws-sdk/client-connect');
});

const audit = runNpmAudit(repoRoot);
if (audit.available) {
  test('no high or critical advisory affects a shipped package', async () => {
    const locations = await shipped();
    const serious = audit.vulnerabilities
      .filter((vulnerability) => vulnerability.severity === 'high' || vulnerability.severity === 'critical')
      .filter((vulnerability) => vulnerability.nodes.some((location) => locations.has(location)))
      .map((vulnerability) => `${vulnerability.name} (${vulnerability.severity})`);
    expect(serious).toEqual([]);
  });
} else {
  console.warn(
    `SKIPPED: npm audit of the shipped dependencies got no advisories from the registry (${audit.reason}). ` +
      'Run `npm audit` where the registry answers before a release.',
  );
  test.skip('no high or critical advisory affects a shipped package (SKIPPED: no advisories from the registry)', () => {});
}
